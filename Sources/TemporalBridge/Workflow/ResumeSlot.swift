/// One suspended workflow call: holds its continuation until the runtime resolves it.
/// Resolution before the continuation is installed is kept and delivered on install.
/// Only touched on the thread driving the run.
final class ResumeSlot<Value: Sendable>: @unchecked Sendable {
    private var continuation: UnsafeContinuation<Value, Error>?
    private var pendingResult: Result<Value, Error>?
    private(set) var isResolved = false

    func install(_ continuation: UnsafeContinuation<Value, Error>) {
        if let result = pendingResult {
            pendingResult = nil
            continuation.resume(with: result)
        } else {
            self.continuation = continuation
        }
    }

    /// Resumes the waiting workflow code (queues its job on the run's executor). Idempotent.
    func resolve(_ result: Result<Value, Error>) {
        guard !isResolved else { return }
        isResolved = true
        if let continuation {
            self.continuation = nil
            continuation.resume(with: result)
        } else {
            pendingResult = result
        }
    }

    func wait() async throws -> Value {
        try await withUnsafeThrowingContinuation { install($0) }
    }
}
