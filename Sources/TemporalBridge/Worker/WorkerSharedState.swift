import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The state the pollers and task handlers of one worker share: its connection and the typed
/// client every one of its calls goes through, the registered workflows and activities, options,
/// slots, the run cache, metrics and the figures its heartbeats report.
final class WorkerSharedState: @unchecked Sendable {
    let connection: TemporalConnection
    /// Every RPC the worker makes goes through here (so a test can fail chosen ones, see `faults`).
    let service: WorkflowServiceClient
    let namespace: String
    let taskQueue: String
    let identity: String
    let options: WorkerOptions
    let logger: Logger
    let workflows: [String: WorkflowDefinition]
    let activities: [String: ActivityDefinition]
    let cache: WorkflowCache
    let metrics: WorkerMetrics
    let pollHealth = PollHealth()
    let workflowSlots: AsyncSemaphore
    let activitySlots: AsyncSemaphore
    let stickyTaskQueue: Temporal_Api_Taskqueue_V1_TaskQueue
    let inFlightActivities = InFlightActivities()
    let activityDeadlines = ActivityDeadlines()
    /// Names this worker in heartbeats, polls and ShutdownWorker (unique per worker, like sdk-core's).
    let instanceKey = UUID().uuidString.lowercased()
    // What worker heartbeats report: pollers at work and tasks handled, per kind.
    let workflowPollerFigures = PollerFigures()
    let stickyPollerFigures = PollerFigures()
    let activityPollerFigures = PollerFigures()
    let workflowTaskFigures = TaskSlotFigures()
    let activityTaskFigures = TaskSlotFigures()
    /// Test hook: errors armed for this worker's own calls (see `RPCFaults`).
    let faults: RPCFaults
    /// Where workflow code runs (see `ReplayThreads`); stopped by the worker's shutdown.
    let replayThreads: ReplayThreads
    /// Set by the worker so eager activity tasks reach the activity handler: runs one in the calling task, then
    /// frees the activity slot reserved for it.
    var runActivity: (@Sendable (Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse) async -> Void)?

    private let statsLock = Lock()
    private var stats = WorkerStatistics()

    init(
        connection: TemporalConnection, taskQueue: String, options: WorkerOptions, logger: Logger,
        workflows: [String: WorkflowDefinition], activities: [String: ActivityDefinition]
    ) {
        self.connection = connection
        let faults = RPCFaults()
        self.faults = faults
        self.service = WorkflowServiceClient(connection: connection, faults: faults)
        self.namespace = connection.namespace
        self.taskQueue = taskQueue
        self.identity = connection.identity
        self.options = options
        self.logger = logger
        self.workflows = workflows
        self.activities = activities
        self.cache = WorkflowCache(capacity: options.maxCachedWorkflows)
        self.metrics = WorkerMetrics(
            namespace: connection.namespace, taskQueue: taskQueue,
            workflowSlots: options.maxConcurrentWorkflowTasks, activitySlots: options.maxConcurrentActivities)
        self.workflowSlots = AsyncSemaphore(permits: options.maxConcurrentWorkflowTasks)
        self.activitySlots = AsyncSemaphore(permits: options.maxConcurrentActivities)
        self.replayThreads = ReplayThreads(count: options.replayThreads)
        var sticky = Temporal_Api_Taskqueue_V1_TaskQueue()
        sticky.name = "\(ProcessInfo.processInfo.hostName):\(UUID().uuidString.lowercased())"
        sticky.kind = .sticky
        sticky.normalName = taskQueue
        self.stickyTaskQueue = sticky
    }

    /// Sticky execution is on unless the cache size is 0 (then every task replays the full history).
    var stickyExecution: Bool { options.maxCachedWorkflows > 0 }

    var statistics: WorkerStatistics {
        var snapshot = statsLock.withLock { stats }
        snapshot.peakCachedRuns = cache.peakCount
        return snapshot
    }

    func count(_ update: (inout WorkerStatistics) -> Void) {
        statsLock.withLock { update(&stats) }
    }

    func makeRun(_ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse) throws -> WorkflowRun {
        guard let definition = workflows[task.workflowType.name] else {
            throw WorkflowTaskFailure(
                "workflow type \(task.workflowType.name) is not registered on this worker; "
                    + "registered: [\(workflows.keys.sorted().joined(separator: " "))]")
        }
        return WorkflowRun(
            definition: definition, namespace: namespace,
            workflowId: task.workflowExecution.workflowID, runId: task.workflowExecution.runID,
            logger: logger)
    }

    /// All history pages from `token` on (empty token = from the first event); each page is
    /// retried through transport errors until `deadline`.
    func fetchHistory(
        _ execution: Temporal_Api_Common_V1_WorkflowExecution, from token: Data,
        until deadline: ContinuousClock.Instant
    ) async throws -> [Temporal_Api_History_V1_HistoryEvent] {
        var events: [Temporal_Api_History_V1_HistoryEvent] = []
        var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
        request.namespace = namespace
        request.execution = execution
        request.nextPageToken = token
        repeat {
            let page = try await TransportRetry.run(until: deadline) { [request] timeout in
                try await service.getWorkflowExecutionHistory(request, timeout: timeout, retry: .default)
            }
            events += page.history.events
            request.nextPageToken = page.nextPageToken
        } while !request.nextPageToken.isEmpty
        return events
    }
}
