import Foundation

/// A cached run with the lock that serialises its tasks (workflow tasks and query tasks).
final class CachedWorkflow: @unchecked Sendable {
    let run: WorkflowRun
    let lock = NSLock()
    init(run: WorkflowRun) { self.run = run }
}

/// Bounded LRU cache of running workflows, keyed by run ID, for sticky execution.
final class WorkflowCache: @unchecked Sendable {
    private let lock = NSLock()
    private let capacity: Int
    private var entries: [String: CachedWorkflow] = [:]
    /// Least recently used first.
    private var order: [String] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { lock.withLock { entries.count } }

    func get(_ runId: String) -> CachedWorkflow? {
        lock.withLock {
            guard let entry = entries[runId] else { return nil }
            touch(runId)
            return entry
        }
    }

    func insert(_ runId: String, _ entry: CachedWorkflow) {
        let overflow: [CachedWorkflow] = lock.withLock {
            entries[runId] = entry
            touch(runId)
            var removed: [CachedWorkflow] = []
            while entries.count > capacity, let oldest = order.first {
                order.removeFirst()
                if let evicted = entries.removeValue(forKey: oldest) { removed.append(evicted) }
            }
            return removed
        }
        for entry in overflow { Self.evict(entry) }
    }

    /// Removes the run and stops its code.
    func remove(_ runId: String) {
        let entry: CachedWorkflow? = lock.withLock {
            order.removeAll { $0 == runId }
            return entries.removeValue(forKey: runId)
        }
        if let entry { Self.evict(entry) }
    }

    func removeAll() {
        let all: [CachedWorkflow] = lock.withLock {
            defer { entries.removeAll(); order.removeAll() }
            return Array(entries.values)
        }
        for entry in all { Self.evict(entry) }
    }

    private func touch(_ runId: String) {
        order.removeAll { $0 == runId }
        order.append(runId)
    }

    private static func evict(_ entry: CachedWorkflow) {
        entry.lock.withLock { entry.run.evict() }
    }
}
