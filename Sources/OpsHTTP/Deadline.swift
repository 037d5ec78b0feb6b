import Synchronization

/// `withDeadline`'s error when the operation did not answer in time.
public struct DeadlineExceeded: Error, Sendable {
    public init() {}
}

/// Runs `operation` but answers after `timeout` at the latest. Unlike a task group, it
/// does not wait for an operation that ignores cancellation (e.g. a blocked driver call):
/// the operation is cancelled and left to finish on its own.
public func withDeadline<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        gate.arm(continuation)
        let work = Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            gate.resume(with: result)
            // A finished operation needs no timer: without this every call would leave one sleeping for `timeout`.
            gate.cancelTimer()
        }
        gate.setTimer(
            Task {
                do { try await Task.sleep(for: timeout) } catch { return }
                if gate.resume(with: .failure(DeadlineExceeded())) { work.cancel() }
            })
    }
}

/// A continuation that is resumed by whoever comes first, exactly once; it also holds the timer.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T, any Error>?>(nil)
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// Called after `arm`: an empty slot then means the operation already answered.
    func setTimer(_ task: Task<Void, Never>) {
        timer.withLock { $0 = task }
        if slot.withLock({ $0 == nil }) { cancelTimer() }
    }

    func cancelTimer() {
        timer.withLock { $0.take() }?.cancel()
    }

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
