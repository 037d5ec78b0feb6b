/// Tuning of a `Worker`. Defaults follow the official SDKs.
public struct WorkerOptions: Sendable {
    /// Concurrent polls on the normal workflow task queue, and as many again on the sticky queue
    /// (all on the normal queue when sticky execution is off). A normal queue has 4 partitions on
    /// the server; a partition with no poll waiting holds its tasks until they are forwarded, so
    /// fewer polls than partitions shows up as seconds of latency under load.
    public var workflowTaskPollers = 4
    public var activityTaskPollers = 2
    /// Workflow tasks being polled for or handled at once (a waiting poll holds a slot).
    public var maxConcurrentWorkflowTasks = 100
    public var maxConcurrentActivities = 100
    /// Runs kept in memory for sticky execution; 0 turns sticky execution off (every workflow task
    /// then carries and replays the full history).
    public var maxCachedWorkflows = 1_000
    public var stickyScheduleToStartTimeout: Duration = .seconds(10)
    /// Ask the server to hand activities on this worker's own queue straight back (max 3 per task).
    public var eagerActivityExecution = true
    /// How long in-flight activities may finish after shutdown starts before they are failed
    /// with a retryable `WorkerShutdown`.
    public var gracefulShutdownTimeout: Duration = .seconds(10)
    public var longPollTimeout: Duration = .seconds(70)
    /// How often the worker reports itself with `RecordWorkerHeartbeat` (the Web UI's Workers
    /// page, `temporal worker list`); nil turns heartbeats off. 60 s like the official SDKs.
    public var heartbeatInterval: Duration? = .seconds(60)
    /// Threads of the worker's own that run workflow code (activations, replays, queries), so a
    /// long replay never holds a thread of the cooperative pool.
    public var replayThreads = 2

    public init() {}
}
