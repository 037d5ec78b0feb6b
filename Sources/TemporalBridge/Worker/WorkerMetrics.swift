import Metrics

/// The worker's counters (swift-metrics); also mirrored in plain integers for logs and tests.
final class WorkerMetrics: Sendable {
    let cacheHits: Counter
    let cacheMisses: Counter
    let replays: Counter
    let workflowTasks: Counter
    let workflowTaskFailures: Counter
    let activityTasks: Counter
    let eagerActivities: Counter

    init(taskQueue: String) {
        let dimensions = [("task_queue", taskQueue)]
        cacheHits = Counter(label: "temporal_sticky_cache_hit", dimensions: dimensions)
        cacheMisses = Counter(label: "temporal_sticky_cache_miss", dimensions: dimensions)
        replays = Counter(label: "temporal_workflow_replays", dimensions: dimensions)
        workflowTasks = Counter(label: "temporal_workflow_tasks", dimensions: dimensions)
        workflowTaskFailures = Counter(label: "temporal_workflow_task_failures", dimensions: dimensions)
        activityTasks = Counter(label: "temporal_activity_tasks", dimensions: dimensions)
        eagerActivities = Counter(label: "temporal_eager_activities", dimensions: dimensions)
    }
}

/// Plain counts of what the worker did, for logs and tests.
public struct WorkerStatistics: Sendable, Equatable {
    public var cacheHits = 0
    public var cacheMisses = 0
    public var replays = 0
    public var workflowTasks = 0
    public var workflowTaskFailures = 0
    public var activityTasks = 0
    public var eagerActivities = 0
    public var queryTasks = 0
    /// Workflow tasks completed empty to keep a long activation alive (force_create_new_workflow_task).
    public var workflowTaskHeartbeats = 0
    /// The most runs the sticky cache held at once.
    public var peakCachedRuns = 0
}
