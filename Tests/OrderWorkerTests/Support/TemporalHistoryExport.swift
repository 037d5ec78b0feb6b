import Foundation
import TestSupport

extension CommandLineTool {
    /// `temporal workflow show -o json`: the run's history in the proto3 JSON the replayer reads.
    static func historyJSON(workflowId: String, address: String) async throws -> Data {
        let output = try await run([
            TemporalCLI.path, "workflow", "show", "--workflow-id", workflowId, "--address", address, "--output", "json",
        ])
        guard output.status == 0 else {
            throw CommandFailed("temporal workflow show failed (\(output.status)): \(output.stderr)")
        }
        return output.stdout
    }
}

struct CommandFailed: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
