/// Activities being executed, so shutdown can wait for them and fail the leftovers.
///
/// Two counts: the activity code running (`running`, which shutdown cancels after its grace) and the
/// activity tasks being handled from start to response (`handling`). Shutdown waits for the second:
/// a result computed but never reported would leave the server to time the attempt out.
final class InFlightActivities: @unchecked Sendable {
    /// How long shutdown waits, after the grace, for the responses of the activities it cancelled
    /// (each a retryable `WorkerShutdown` failure) and of those that finished on their own.
    static let responseGrace: Duration = .seconds(5)

    private let lock = Lock()
    /// Per running attempt: what waits for its code to end, and what cancels it.
    private var running: [Int: (finished: @Sendable () async -> Void, cancel: @Sendable () -> Void)] = [:]
    private var lastId = 0
    private var handling = 0
    private(set) var shuttingDown = false

    /// Returns the id to remove it with.
    func add(finished: @escaping @Sendable () async -> Void, cancel: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            lastId += 1
            running[lastId] = (finished, cancel)
            return lastId
        }
    }

    func remove(_ id: Int) {
        _ = lock.withLock { running.removeValue(forKey: id) }
    }

    /// An activity task is being handled until the matching `handlingEnded()` (after its response).
    func handlingStarted() { lock.withLock { handling += 1 } }
    func handlingEnded() { lock.withLock { handling -= 1 } }

    var isShuttingDown: Bool { lock.withLock { shuttingDown } }
    var count: Int { lock.withLock { running.count } }
    var handlingCount: Int { lock.withLock { handling } }

    /// Waits up to `grace` for the activity tasks being handled to finish and report, then cancels
    /// the code still running and waits (up to `responseGrace`) for every response to be sent.
    func drain(grace: Duration, responseGrace: Duration = InFlightActivities.responseGrace) async {
        lock.withLock { shuttingDown = true }
        let deadline = ContinuousClock.now.advanced(by: grace)
        while handlingCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let remaining = lock.withLock { Array(running.values) }
        for attempt in remaining { attempt.cancel() }
        for attempt in remaining { await attempt.finished() }
        let responseDeadline = ContinuousClock.now.advanced(by: responseGrace)
        while handlingCount > 0 && ContinuousClock.now < responseDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
