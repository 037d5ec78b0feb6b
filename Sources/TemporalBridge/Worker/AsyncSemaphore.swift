/// A counting semaphore for task slots; waiting is async and cancellable.
///
/// A cancellation can land before the waiter is installed (the handler then runs first and finds
/// nothing to remove): the handler records the waiter's id, and installing a recorded waiter
/// resumes it at once with `CancellationError` instead of parking it forever.
final class AsyncSemaphore: @unchecked Sendable {
    private let lock = Lock()
    private var permits: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    /// Waiters that took an id but are not installed (nor granted) yet.
    private var announced: Set<Int> = []
    /// Announced waiters whose task was cancelled before they were installed.
    private var cancelledBeforeInstall: Set<Int> = []
    private var lastWaiterId = 0

    init(permits: Int) { self.permits = permits }

    var available: Int { lock.withLock { permits } }

    func tryAcquire() -> Bool {
        lock.withLock {
            guard permits > 0 else { return false }
            permits -= 1
            return true
        }
    }

    func acquire() async throws {
        let id = lock.withLock {
            lastWaiterId += 1
            announced.insert(lastWaiterId)
            return lastWaiterId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case granted, cancelled, parked }
                let outcome: Outcome = lock.withLock {
                    announced.remove(id)
                    if cancelledBeforeInstall.remove(id) != nil { return .cancelled }
                    if permits > 0 {
                        permits -= 1
                        return .granted
                    }
                    waiters.append((id, continuation))
                    return .parked
                }
                switch outcome {
                case .granted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .parked: break
                }
            }
        } onCancel: {
            let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else {
                    // Not parked: either not installed yet (remember it) or already granted (nothing to do).
                    if announced.contains(id) { cancelledBeforeInstall.insert(id) }
                    return nil
                }
                return waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            if waiters.isEmpty {
                permits += 1
                return nil
            }
            return waiters.removeFirst().continuation
        }
        waiter?.resume()
    }
}
