import Metrics
import Synchronization

/// `temporal_num_pollers` of one poller type: polls waiting on the server right now.
final class PollerCount: Sendable {
    private let gauge: Gauge
    private let count = Atomic<Int>(0)

    init(_ gauge: Gauge) {
        self.gauge = gauge
        gauge.record(0)
    }

    func started() { gauge.record(count.wrappingAdd(1, ordering: .relaxed).newValue) }
    func ended() { gauge.record(count.wrappingSubtract(1, ordering: .relaxed).newValue) }
}

/// `temporal_worker_task_slots_used` / `_available` of one worker type: tasks being handled out
/// of the configured maximum (polls waiting for a task are not counted as used).
final class SlotUsage: Sendable {
    private let total: Int
    private let used: Gauge
    private let available: Gauge
    private let count = Atomic<Int>(0)

    init(total: Int, workerType: String, base: [(String, String)]) {
        let dimensions = base + [("worker_type", workerType)]
        self.total = total
        used = Gauge(label: TemporalMetricNames.workerTaskSlotsUsed, dimensions: dimensions)
        available = Gauge(label: TemporalMetricNames.workerTaskSlotsAvailable, dimensions: dimensions)
        record(0)
    }

    func taken() { record(count.wrappingAdd(1, ordering: .relaxed).newValue) }
    func freed() { record(count.wrappingSubtract(1, ordering: .relaxed).newValue) }

    private func record(_ inUse: Int) {
        used.record(inUse)
        available.record(max(0, total - inUse))
    }
}
