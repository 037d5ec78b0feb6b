/// A counting semaphore for task slots; waiting is async and cancellable.
final class AsyncSemaphore: @unchecked Sendable {
    private let lock = Lock()
    private var permits: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
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
            return lastWaiterId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted: Bool = lock.withLock {
                    if permits > 0 { permits -= 1; return true }
                    waiters.append((id, continuation))
                    return false
                }
                if granted { continuation.resume() }
            }
        } onCancel: {
            let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            if waiters.isEmpty { permits += 1; return nil }
            return waiters.removeFirst().continuation
        }
        waiter?.resume()
    }
}
