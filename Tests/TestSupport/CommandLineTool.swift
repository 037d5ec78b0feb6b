import Foundation

/// Runs a command-line tool (a path, or a name found on PATH) to completion, capturing its output.
public enum CommandLineTool {
    public struct Output: Sendable {
        public let status: Int32
        public let killedBySignal: Bool
        public let stdout: Data
        public let stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    public static func run(_ arguments: [String]) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are read at once (a full pipe would stall the tool), and every blocking wait runs on a thread
        // of its own: blocked on Swift's cooperative pool, it would starve the other tests of this process, one of
        // them perhaps holding the migration lock the tool waits for.
        async let stdout = onThread { out.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = onThread { err.fileHandleForReading.readDataToEndOfFile() }
        let (output, errors) = await (stdout, stderr)
        await onThread {
            while process.isRunning { usleep(10_000) }
        }
        return Output(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: output, stderr: String(decoding: errors, as: UTF8.self))
    }

    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
