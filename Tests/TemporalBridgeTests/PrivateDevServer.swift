import Foundation
import TestSupport
import Testing

@testable import TemporalBridge

/// A private, in-memory Temporal dev server (`temporal server start-dev --headless`) on its own port,
/// for tests that need dynamic config the shared server does not have. A server already answering on
/// the port (left by an interrupted run) is reused rather than fought over: its state is throwaway.
final class PrivateDevServer: @unchecked Sendable {
    let target: String
    private let process: Process?

    private init(target: String, process: Process?) {
        self.target = target
        self.process = process
    }

    static func start(port: Int, dynamicConfig: [String] = []) async throws -> PrivateDevServer {
        let target = "127.0.0.1:\(port)"
        if await isServing(target, attempts: 1) { return PrivateDevServer(target: target, process: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [TemporalCLI.path, "server", "start-dev", "--headless", "--port", "\(port)", "--log-level", "error"]
            + dynamicConfig.flatMap { ["--dynamic-config-value", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = PrivateDevServer(target: target, process: process)
        guard await isServing(target, attempts: 120) else {
            await server.stop()
            Issue.record("private Temporal dev server on \(target) did not start within 60 s")
            throw CancellationError()
        }
        return server
    }

    func connect() throws -> TemporalConnection {
        try TemporalConnection(options: TemporalConnectionOptions(target: target, namespace: "default"))
    }

    /// Stops the server this object started (SIGTERM, then waits up to 10 s for it to exit).
    func stop() async {
        guard let process, process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// True once the server answers DescribeNamespace for "default" (it exists only after start-up).
    private static func isServing(_ target: String, attempts: Int) async -> Bool {
        guard
            let connection = try? TemporalConnection(
                options: TemporalConnectionOptions(target: target, namespace: "default"))
        else { return false }
        var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
        request.namespace = "default"
        for attempt in 1...attempts {
            if attempt > 1 { try? await Task.sleep(for: .milliseconds(500)) }
            let response = try? await WorkflowServiceClient(connection: connection).describeNamespace(
                request, timeout: .seconds(2), retry: .none)
            if response != nil { return true }
        }
        return false
    }
}
