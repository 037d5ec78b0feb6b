#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A cached run with the lock that serialises its tasks (workflow tasks and query tasks).
final class CachedWorkflow: @unchecked Sendable {
    let run: WorkflowRun
    let lock = Lock()
    /// The run's workflow task timeout (WorkflowExecutionStarted), which bounds each task's retries.
    let workflowTaskTimeout: Duration
    /// Taken (asynchronously) by whatever drives the run: a workflow task, a query. Waiting for a
    /// long replay to finish holds no thread.
    let gate = AsyncSemaphore(permits: 1)
    /// Tasks holding this entry; guarded by the cache's lock. A held entry is never evicted to make
    /// room, so a task never finds its run torn down under it.
    fileprivate var holders = 0
    /// Recency for LRU (the last check-out or check-in); guarded by the cache's lock.
    fileprivate var lastUse: UInt64 = 0
    /// When a task last checked it out or in; guarded by the cache's lock.
    fileprivate var lastTouched = ContinuousClock.now
    init(run: WorkflowRun, workflowTaskTimeout: Duration = .seconds(10)) {
        self.run = run
        self.workflowTaskTimeout = workflowTaskTimeout
    }
}

/// Bounded LRU cache of running workflows, keyed by run ID, for sticky execution.
///
/// Tasks check an entry out while they work on it and check it in afterwards. Only entries no task
/// holds are evicted, so the cache may briefly hold more than `capacity` runs when more tasks are in
/// flight than it has room for; capacity 0 keeps no run past its task (sticky execution off).
///
/// New runs are admitted (`admitNewRun`): a poll of the normal queue, which is where new runs come
/// from, waits for room first. Without that a worker facing a backlog takes new runs faster than it
/// finishes the ones it has, evicts runs whose next task is already on its way, and each such task
/// replays the run's whole history: CPU and memory then grow with the backlog instead of the cache.
final class WorkflowCache: @unchecked Sendable {
    let capacity: Int
    private let lock = Lock()
    private var entries: [String: CachedWorkflow] = [:]
    private var clock: UInt64 = 0
    private var peak = 0
    /// Normal-queue polls admitted and still waiting for their task.
    private var admittedPolls = 0
    /// New runs a normal-queue poll brought that their task has not cached yet.
    private var arriving: Set<String> = []
    /// Tasks waiting on this worker's sticky queue, as the latest sticky poll reported.
    private var stickyBacklog: Int64 = 0

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { lock.withLock { entries.count } }
    /// The most runs held at once since the worker started.
    var peakCount: Int { lock.withLock { peak } }

    /// The cached run, held by the caller until `checkIn`.
    func checkOut(_ runId: String) -> CachedWorkflow? {
        lock.withLock {
            guard let entry = entries[runId] else { return nil }
            entry.holders += 1
            markUsed(entry)
            return entry
        }
    }

    /// Caches a new run, held by the caller until `checkIn`.
    func insertCheckedOut(_ runId: String, _ entry: CachedWorkflow) {
        let replaced: CachedWorkflow? = lock.withLock {
            let previous = entries.updateValue(entry, forKey: runId)
            arriving.remove(runId)
            entry.holders += 1
            markUsed(entry)
            peak = max(peak, entries.count)
            return previous === entry ? nil : previous
        }
        if let replaced { Self.evict(replaced) }
    }

    /// Releases the caller's hold; evicts least recently used idle runs beyond capacity.
    func checkIn(_ entry: CachedWorkflow) {
        let overflow: [CachedWorkflow] = lock.withLock {
            entry.holders -= 1
            markUsed(entry)
            guard entries.count > capacity else { return [] }
            var idle = entries.filter { $0.value.holders == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
            var removed: [CachedWorkflow] = []
            while entries.count > capacity, !idle.isEmpty {
                let (runId, oldest) = idle.removeFirst()
                entries.removeValue(forKey: runId)
                removed.append(oldest)
            }
            return removed
        }
        for entry in overflow { Self.evict(entry) }
    }

    /// Stops the entry's code and drops it from the cache if it is still the run's entry (the holder,
    /// if any, still checks it in). A task that held an older entry of the run (a duplicate, or one
    /// the server timed out) must not drop the entry a later task of the run has since cached.
    func remove(_ entry: CachedWorkflow) {
        lock.withLock {
            let runId = entry.run.runId
            if entries[runId] === entry { entries.removeValue(forKey: runId) }
        }
        Self.evict(entry)
    }

    func removeAll() {
        let all: [CachedWorkflow] = lock.withLock {
            defer { entries.removeAll() }
            return Array(entries.values)
        }
        for entry in all { Self.evict(entry) }
    }

    /// Whether a new run may come in without evicting a run that is still in flight: there is room
    /// (counting admitted polls and arriving runs), or the least recently used idle run has been idle
    /// longer than `idle` while no task waits on the sticky queue, so it waits for a timer, a signal or
    /// a slow activity and evicting it costs one replay much later. `idle` is the sticky
    /// schedule-to-start timeout: a run touched more recently is likely between two quick steps, its
    /// next task already on its way.
    func hasRoomForNewRun(idle: Duration) -> Bool {
        lock.withLock { roomForNewRun(idle: idle) }
    }

    /// Waits (checking every `interval`) until `hasRoomForNewRun(idle:)`, then counts the caller's
    /// poll as admitted until `endAdmission`. Throws when the caller is cancelled.
    func admitNewRun(idle: Duration, interval: Duration = .milliseconds(20)) async throws {
        while true {
            let admitted: Bool = lock.withLock {
                guard roomForNewRun(idle: idle) else { return false }
                admittedPolls += 1
                return true
            }
            if admitted { return }
            try await Task.sleep(for: interval)
        }
    }

    /// Ends an admitted poll; `runId` is the run of the task it brought (nil: none), which keeps its
    /// room until its task caches it or `arrivalEnded`.
    func endAdmission(bringing runId: String?) {
        lock.withLock {
            admittedPolls -= 1
            if let runId, entries[runId] == nil { arriving.insert(runId) }
        }
    }

    /// The backlog the latest sticky poll reported (`backlog_count_hint`; 0 when it came back empty).
    /// While tasks of cached runs wait there, a run idle for long is not waiting for the world but for
    /// this worker, and makes no room for a new run.
    func recordStickyBacklog(_ count: Int64) {
        lock.withLock { stickyBacklog = count }
    }

    /// The task for `runId` is done: it no longer holds room for a run it did not cache.
    func arrivalEnded(_ runId: String) {
        _ = lock.withLock { arriving.remove(runId) }
    }

    private func roomForNewRun(idle: Duration) -> Bool {
        // Runs that must leave for one more to fit, the polls already admitted counted in.
        let overflow = entries.count + admittedPolls + arriving.count + 1 - capacity
        if overflow <= 0 { return true }
        guard stickyBacklog == 0 else { return false }
        // Recency follows check-out and check-in, so when that many idle runs were last touched before
        // the cutoff, they are the least recently used ones `checkIn` evicts.
        let cutoff = ContinuousClock.now - idle
        var stale = 0
        for entry in entries.values where entry.holders == 0 && entry.lastTouched < cutoff {
            stale += 1
            if stale >= overflow { return true }
        }
        return false
    }

    private func markUsed(_ entry: CachedWorkflow) {
        clock += 1
        entry.lastUse = clock
        entry.lastTouched = .now
    }

    private static func evict(_ entry: CachedWorkflow) {
        entry.lock.withLock { entry.run.evict() }
    }
}
