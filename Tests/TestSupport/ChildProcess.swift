import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command to completion on its own thread (posix_spawn + waitpid), its standard output and error in one
/// text. Foundation's `Process.waitUntilExit` was seen to hang forever in the test runner after the child exited.
public enum ChildProcess {
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String)
    {
        let logPath = NSTemporaryDirectory() + "child-\(UUID().uuidString).log"
        defer { unlink(logPath) }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
                let argv = ([executable] + arguments).map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                var pid = pid_t()
                let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
                guard spawned == 0 else {
                    continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO))
                    return
                }
                var waitStatus: Int32 = 0
                while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS by hand (macros do not import).
                let exited = (waitStatus & 0x7f) == 0
                continuation.resume(returning: exited ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f))
            }
            thread.start()
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return (status, output)
    }
}
