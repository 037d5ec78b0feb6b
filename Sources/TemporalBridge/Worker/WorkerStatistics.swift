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
