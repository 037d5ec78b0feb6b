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
    /// Recency for LRU; guarded by the cache's lock.
    fileprivate var lastUse: UInt64 = 0
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
final class WorkflowCache: @unchecked Sendable {
    let capacity: Int
    private let lock = Lock()
    private var entries: [String: CachedWorkflow] = [:]
    private var clock: UInt64 = 0
    private var peak = 0

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

    /// Removes the run and stops its code (the holder, if any, still checks it in).
    func remove(_ runId: String) {
        let entry: CachedWorkflow? = lock.withLock { entries.removeValue(forKey: runId) }
        if let entry { Self.evict(entry) }
    }

    func removeAll() {
        let all: [CachedWorkflow] = lock.withLock {
            defer { entries.removeAll() }
            return Array(entries.values)
        }
        for entry in all { Self.evict(entry) }
    }

    private func markUsed(_ entry: CachedWorkflow) {
        clock += 1
        entry.lastUse = clock
    }

    private static func evict(_ entry: CachedWorkflow) {
        entry.lock.withLock { entry.run.evict() }
    }
}
