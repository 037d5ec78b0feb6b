import Metrics
import Synchronization

/// The worker's series (swift-metrics) under the names and labels of Temporal's SDK metrics
/// reference; see `TemporalMetricNames`. Every series carries `namespace` and `task_queue`;
/// workflow series add `workflow_type`, activity series `activity_type` and `workflow_type`, slot
/// gauges `worker_type` (WorkflowWorker, ActivityWorker) and poller gauges `poller_type`
/// (workflow_task, sticky_workflow_task, activity_task), as sdk-core labels them.
///
/// Series with a type label are made on first use and kept: the metrics factory's own lookup is
/// slower than a dictionary hit.
final class WorkerMetrics: Sendable {
    typealias Names = TemporalMetricNames

    let workflowPollSucceed: Counter
    let workflowPollEmpty: Counter
    let workflowTaskScheduleToStart: Metrics.Timer
    let stickyCacheSize: Gauge
    let workflowSlots: SlotUsage
    let activitySlots: SlotUsage
    private let pollers: [PollerKind: PollerCount]
    private let base: [(String, String)]
    private let workflowSeries = Mutex<[String: WorkflowTypeSeries]>([:])
    private let activitySeries = Mutex<[ActivityKey: ActivityTypeSeries]>([:])

    init(namespace: String, taskQueue: String, workflowSlots: Int, activitySlots: Int) {
        let base = [("namespace", namespace), ("task_queue", taskQueue)]
        self.base = base
        workflowPollSucceed = Counter(label: Names.workflowTaskQueuePollSucceed, dimensions: base)
        workflowPollEmpty = Counter(label: Names.workflowTaskQueuePollEmpty, dimensions: base)
        workflowTaskScheduleToStart = Metrics.Timer(
            label: Names.workflowTaskScheduleToStartLatency, dimensions: base, preferredDisplayUnit: .seconds)
        stickyCacheSize = Gauge(label: Names.stickyCacheSize, dimensions: base)
        self.workflowSlots = SlotUsage(total: workflowSlots, workerType: "WorkflowWorker", base: base)
        self.activitySlots = SlotUsage(total: activitySlots, workerType: "ActivityWorker", base: base)
        pollers = Dictionary(
            uniqueKeysWithValues: PollerKind.allCases.map { kind in
                (kind, PollerCount(Gauge(label: Names.numPollers, dimensions: base + [("poller_type", kind.label)])))
            })
    }

    /// The poll calls of `kind` in flight right now.
    func pollers(_ kind: PollerKind) -> PollerCount { pollers[kind]! }

    func workflow(_ type: String) -> WorkflowTypeSeries {
        workflowSeries.withLock { known in
            if let series = known[type] { return series }
            let made = WorkflowTypeSeries(dimensions: base + [("workflow_type", type)])
            known[type] = made
            return made
        }
    }

    func activity(_ type: String, workflowType: String) -> ActivityTypeSeries {
        let key = ActivityKey(activityType: type, workflowType: workflowType)
        return activitySeries.withLock { known in
            if let series = known[key] { return series }
            let made = ActivityTypeSeries(
                dimensions: base + [("activity_type", type), ("workflow_type", workflowType)])
            known[key] = made
            return made
        }
    }
}

/// The pollers a worker runs, as sdk-core's `poller_type` label names them.
enum PollerKind: CaseIterable, Sendable {
    case workflow, stickyWorkflow, activity

    var label: String {
        switch self {
        case .workflow: "workflow_task"
        case .stickyWorkflow: "sticky_workflow_task"
        case .activity: "activity_task"
        }
    }
}

struct ActivityKey: Hashable, Sendable {
    let activityType: String
    let workflowType: String
}
