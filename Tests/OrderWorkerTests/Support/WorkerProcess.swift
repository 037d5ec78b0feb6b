import Foundation
import TestSupport

/// The built `order-worker` executable run as a child process, its output in a log file.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL

    /// The `order-worker` binary next to the test bundle (the same build folder). If this build
    /// did not link it, builds it with the same scratch path.
    static func binary() async throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // `swift test` runs `.../debug/OrderFlowPackageTests.xctest` (possibly a bundle folder).
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("order-worker")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }

        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        // .../<scratch>/<triple>/debug → <scratch>
        let scratch = directory.deletingLastPathComponent().deletingLastPathComponent()
        let build = try await CommandLineTool.run([
            "swift", "build", "--package-path", packageRoot.path, "--scratch-path", scratch.path, "--product",
            "order-worker",
        ])
        guard build.status == 0, FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw CommandFailed(
                "order-worker is not built at \(candidate.path) and building it failed: \(build.stderr)\(build.text)")
        }
        return candidate
    }

    init(binary: URL, arguments: [String] = ["run"], environment overrides: [String: String]) throws {
        var environment = ProcessInfo.processInfo.environment
        // As in WorkerHarness: test orders share one customer, above any sane velocity limit.
        environment["FRAUD_VELOCITY_MAX_ORDERS"] = "100000000"
        environment["FRAUD_VELOCITY_MAX_AMOUNT"] = "100000000.00"
        for (key, value) in overrides { environment[key] = value }
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("order-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit (at most `timeout`) and returns its exit status, nil on timeout.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Waits until the log contains `text`.
    func waitForLog(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !log.contains(text) {
            guard ContinuousClock.now < deadline, process.isRunning else { return log.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}
