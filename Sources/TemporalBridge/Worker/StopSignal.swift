/// A one-shot signal that any number of tasks can await.
final class StopSignal: @unchecked Sendable {
    private let lock = Lock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            guard !fired else { return [] }
            fired = true
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in toResume { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyFired: Bool = lock.withLock {
                if fired { return true }
                waiters.append(continuation)
                return false
            }
            if alreadyFired { continuation.resume() }
        }
    }
}
