import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command to its end, its standard output and error captured.
///
/// The process is spawned (posix_spawnp) and waited for (waitpid) on a thread of its own: blocked on Swift's
/// cooperative pool, the wait would starve the other tests of this process, one of them perhaps holding a lock the
/// command waits for. Its output goes to files, not pipes: a daemon it starts (redis-server --daemonize, pg_ctl)
/// keeps its descriptors open, and a pipe would never reach its end. Foundation's `Process.waitUntilExit` was seen
/// to hang forever in the test runner after the child exited.
public enum CommandLineTool {
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal that ended the process.
        public let status: Int32
        public let killedBySignal: Bool
        public let stdout: Data
        public let stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// `arguments[0]` is the command: a path, or a name looked up on PATH.
    public static func run(_ arguments: [String]) async throws -> Output {
        precondition(!arguments.isEmpty, "no command to run")
        let stem = NSTemporaryDirectory() + "command-\(UUID().uuidString)"
        let outPath = stem + ".out"
        let errPath = stem + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let waitStatus: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                let argv = arguments.map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                var pid = pid_t()
                let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
                guard spawned == 0 else {
                    continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO))
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: status)
            }.start()
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG by hand (the macros do not import).
        let signal = waitStatus & 0x7f
        return Output(
            status: signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal, killedBySignal: signal != 0,
            stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
