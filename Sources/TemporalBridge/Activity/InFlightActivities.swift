/// Activities being executed, so shutdown can wait for them and fail the leftovers.
final class InFlightActivities: @unchecked Sendable {
    private let lock = Lock()
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var cancels: [Int: @Sendable () -> Void] = [:]
    private var lastId = 0
    private(set) var shuttingDown = false

    /// Returns the id to remove it with.
    func add(task: Task<Void, Never>, cancel: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            lastId += 1
            tasks[lastId] = task
            cancels[lastId] = cancel
            return lastId
        }
    }

    func remove(_ id: Int) {
        _ = lock.withLock { (tasks.removeValue(forKey: id), cancels.removeValue(forKey: id)) }
    }

    var isShuttingDown: Bool { lock.withLock { shuttingDown } }
    var count: Int { lock.withLock { tasks.count } }

    /// Waits up to `grace` for running activities, then cancels the rest and waits for them.
    func drain(grace: Duration) async {
        lock.withLock { shuttingDown = true }
        let deadline = ContinuousClock.now.advanced(by: grace)
        while count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        let (remaining, cancels) = lock.withLock { (Array(tasks.values), Array(self.cancels.values)) }
        for cancel in cancels { cancel() }
        for task in remaining { await task.value }
    }
}
