import Foundation
import TestSupport
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

    /// Runs `body` with a server object on `port` and kills whatever it started afterwards, also when
    /// `body` throws, so the next test finds the port free (deinit alone runs too late to rely on).
    static func with<T>(
        port: Int, uiPort: Int, _ body: (PrivateTemporalServer) async throws -> T
    ) async throws -> T {
        let server = PrivateTemporalServer(port: port, uiPort: uiPort)
        do {
            let value = try await body(server)
            await server.kill()
            return value
        } catch {
            await server.kill()
            throw error
        }
    }

    /// Starts the server process; it listens a second or so later (see `waitUntilServing`).
    /// Refuses when something already answers on the port: the test would talk to that instead.
    func start() async throws {
        precondition(!isRunning, "the private Temporal server on \(port) is already running")
        let probe = try TemporalConnection(options: TemporalConnectionOptions(target: target))
        if (try? await WorkflowServiceClient(connection: probe).getSystemInfo(timeout: .seconds(2), retry: .none))
            != nil
        {
            Issue.record("a Temporal server already answers on \(target); is an earlier test's server still running?")
            throw POSIXError(.EADDRINUSE)
        }
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            TemporalCLI.path, "server", "start-dev", "--headless",
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
    /// Returns once every thread of the process is stopped (the kernel stops them asynchronously).
    func freeze() async {
        guard let process, process.isRunning else { return }
        let pid = process.processIdentifier
        Glibc.kill(pid, SIGSTOP)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let states = Self.threadStates(pid)
            if !states.isEmpty, states.allSatisfy({ $0 == "T" || $0 == "t" }) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("server \(pid) did not stop: thread states \(Self.threadStates(pid))")
    }

    /// The state letter of each thread (R, S, T, ...) from /proc.
    private static func threadStates(_ pid: Int32) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            return stat[close...].split(separator: " ").dropFirst().first.map(String.init)
        }
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
                guard isRunning else {
                    Issue.record("another server answers on \(target); ours exited:\n\(log)")
                    throw POSIXError(.EADDRINUSE)
                }
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
