import Foundation
import Testing

@testable import TemporalBridge

#if canImport(Glibc)
    import Glibc
#endif

/// A `temporal server start-dev` of the test's own (in-memory, headless) run as a child process,
/// so a test can kill, freeze and restart a server without disturbing the shared one on 7233.
/// Each start is a fresh server: history does not survive a restart.
final class PrivateTemporalServer: @unchecked Sendable {
    let port: Int
    let uiPort: Int
    let logURL: URL
    /// Touched only by the test that owns the server, one step at a time.
    private var process: Process?

    init(port: Int, uiPort: Int) {
        self.port = port
        self.uiPort = uiPort
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("private-temporal-\(port)-\(UUID().uuidString).log")
    }

    var target: String { "127.0.0.1:\(port)" }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Everything the server wrote so far (for failure messages).
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Starts the server process; it listens a second or so later (see `waitUntilServing`).
    func start() throws {
        precondition(!isRunning, "the private Temporal server on \(port) is already running")
        if !FileManager.default.fileExists(atPath: logURL.path) {
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            ProcessInfo.processInfo.environment["TEMPORAL_CLI"] ?? "temporal", "server", "start-dev", "--headless",
            "--port", "\(port)", "--ui-port", "\(uiPort)", "--log-level", "error",
        ]
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// SIGKILL, as a crash or an OOM kill would: the kernel closes every socket at once.
    /// Returns when the process has exited, so its port is free again.
    func kill() async {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// SIGSTOP: the server keeps its sockets open but answers nothing, like a hung host.
    func freeze() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGSTOP)
    }

    /// SIGCONT after `freeze`.
    func thaw() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGCONT)
    }

    /// Waits until `connection` gets answers from this server (GetSystemInfo, then DescribeNamespace
    /// of the default namespace, which the dev server registers while starting). Each probe is a
    /// single attempt, so it is the connection's own reconnecting that is waited for.
    func waitUntilServing(_ connection: TemporalConnection, within limit: Duration = .seconds(60)) async throws {
        let service = WorkflowServiceClient(connection: connection)
        let deadline = ContinuousClock.now + limit
        var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
        request.namespace = "default"
        while true {
            do {
                _ = try await service.getSystemInfo(timeout: .seconds(2), retry: .none)
                _ = try await service.describeNamespace(request, timeout: .seconds(2), retry: .none)
                return
            } catch is TemporalRPCError where ContinuousClock.now < deadline && isRunning {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                Issue.record("private Temporal server on \(port) is not serving: \(error); its log:\n\(log)")
                throw error
            }
        }
    }

    deinit {
        if let process, process.isRunning {
            Glibc.kill(process.processIdentifier, SIGCONT)
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }
}
