/// Stops code that runs in the calling task by cancelling that task, from any thread, but only while the code
/// runs: a stop before it starts cancels it as it starts, a stop after it ended does nothing.
///
/// Holds the task as an `UnsafeCurrentTask`, which must not outlive the task: it is set and cleared under the
/// lock inside `run`, which the task cannot leave before clearing it, and `stop` uses it only under that lock.
final class CallingTaskStopper: @unchecked Sendable {
    private let lock = Lock()
    private var task: UnsafeCurrentTask?
    private var stopRequested = false
    private var bodyEnded = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T>(_ body: () async -> T) async -> T {
        withUnsafeCurrentTask { task in
            lock.withLock {
                self.task = task
                if stopRequested { task?.cancel() }
            }
        }
        let result = await body()
        let waiting = lock.withLock {
            task = nil
            bodyEnded = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
        return result
    }

    func stop() {
        lock.withLock {
            stopRequested = true
            task?.cancel()
        }
    }

    /// Returns once `run`'s body has ended.
    func ended() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if bodyEnded { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
