import Foundation

/// Runs a command-line tool (found on PATH) to completion, capturing its output.
enum CommandLineTool {
    struct Output {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func run(_ arguments: [String]) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Read on threads of their own: a full pipe would otherwise stall the tool.
        async let stdout = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let stderr = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        try process.run()
        let (output, errors) = await (stdout, stderr)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Task.detached {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        return Output(
            status: process.terminationStatus, stdout: output, stderr: String(decoding: errors, as: UTF8.self))
    }

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
