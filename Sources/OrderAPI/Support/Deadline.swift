import Synchronization

struct DeadlineExceeded: Error, Sendable {}

/// Runs `operation` but answers after `timeout` at the latest. Unlike a task group, it
/// does not wait for an operation that ignores cancellation (e.g. a blocked driver call):
/// the operation is cancelled and left to finish on its own.
func withDeadline<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        gate.arm(continuation)
        let work = Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            gate.resume(with: result)
        }
        // The timer outlives a fast operation by at most `timeout`; it then finds the gate empty.
        Task {
            try? await Task.sleep(for: timeout)
            if gate.resume(with: .failure(DeadlineExceeded())) { work.cancel() }
        }
    }
}

/// A continuation that is resumed by whoever comes first, exactly once.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        slot.withLock { $0 = continuation }
    }

    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let continuation = slot.withLock({ $0.take() }) else { return false }
        continuation.resume(with: result)
        return true
    }
}
