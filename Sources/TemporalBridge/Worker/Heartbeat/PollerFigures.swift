#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one group of pollers (normal workflow, sticky workflow, activity) is doing, for worker
/// heartbeats: long polls in flight and when a poll last brought a task.
final class PollerFigures: @unchecked Sendable {
    private let lock = Lock()
    private var inFlight = 0
    private var lastSuccess: Date?

    func pollStarted() { lock.withLock { inFlight += 1 } }

    /// `gotTask`: the poll brought a task (not an empty answer or an error).
    func pollEnded(gotTask: Bool) {
        lock.withLock {
            inFlight -= 1
            if gotTask { lastSuccess = Date() }
        }
    }

    var snapshot: (currentPollers: Int, lastSuccessfulPoll: Date?) { lock.withLock { (inFlight, lastSuccess) } }
}

/// Tasks of one kind (workflow or activity) being handled now, and how many were handled and
/// failed since the worker started, for worker heartbeats' slot figures.
final class TaskSlotFigures: @unchecked Sendable {
    private let lock = Lock()
    private var running = 0
    private var processed = 0
    private var failed = 0

    func taskStarted() { lock.withLock { running += 1 } }

    func taskEnded(failed didFail: Bool) {
        lock.withLock {
            running -= 1
            processed += 1
            if didFail { failed += 1 }
        }
    }

    var snapshot: (running: Int, processed: Int, failed: Int) { lock.withLock { (running, processed, failed) } }
}
