#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Stops activity attempts that outlive their deadline, with one timer task for the whole worker instead of a
/// sleeping task per attempt (each of which cost a task, a dispatch timer armed through another thread, and a
/// cancellation when the attempt ended in time, as nearly all do). Adding and removing a deadline only takes a lock;
/// the timer is re-armed only for a deadline earlier than the one it sleeps towards, and attempts mostly arrive in
/// deadline order. A removed deadline is not disarmed: the timer wakes then, finds nothing due, and sleeps on
/// towards the earliest deadline still pending.
final class ActivityDeadlines: @unchecked Sendable {
    private struct Entry {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private let lock = Lock()
    private var pending: [Int: Entry] = [:]
    private var lastId = 0
    /// What the timer task sleeps towards; nil when no timer task runs.
    private var armedFor: ContinuousClock.Instant?
    private var timer: Task<Void, Never>?

    /// Calls `expire` once `deadline` has passed, unless `remove` came first. Returns the id to remove it with.
    func add(_ deadline: Date, expire: @escaping @Sendable () -> Void) -> Int {
        let instant = ContinuousClock.now.advanced(by: .seconds(deadline.timeIntervalSinceNow))
        return lock.withLock {
            lastId += 1
            pending[lastId] = Entry(deadline: instant, expire: expire)
            if armedFor.map({ instant < $0 }) ?? true {
                // Cancelling the timer under the lock keeps its check below consistent: either it sees the
                // cancellation, or it is done with the state before this runs.
                timer?.cancel()
                armedFor = instant
                timer = Task.detached { [self] in await fire(from: instant) }  // no task-locals of the attempt kept
            }
            return lastId
        }
    }

    func remove(_ id: Int) {
        _ = lock.withLock { pending.removeValue(forKey: id) }
    }

    private func fire(from first: ContinuousClock.Instant) async {
        var next = first
        while true {
            do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
            let (due, following) = lock.withLock { () -> ([Entry], ContinuousClock.Instant?) in
                guard !Task.isCancelled else { return ([], nil) }  // re-armed earlier: the new timer owns the state
                let now = ContinuousClock.now
                var due: [Entry] = []
                var following: ContinuousClock.Instant?
                for (id, entry) in pending {
                    if entry.deadline <= now {
                        due.append(entry)
                        pending[id] = nil
                    } else if following.map({ entry.deadline < $0 }) ?? true {
                        following = entry.deadline
                    }
                }
                armedFor = following
                if following == nil { timer = nil }
                return (due, following)
            }
            for entry in due { entry.expire() }
            guard let following else { return }
            next = following
        }
    }
}
