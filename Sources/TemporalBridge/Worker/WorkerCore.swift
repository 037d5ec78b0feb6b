import Logging
import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the pollers and task handlers of one worker share.
final class WorkerCore: @unchecked Sendable {
    let connection: TemporalConnection
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
    /// Names this worker in heartbeats, polls and ShutdownWorker (unique per worker, like sdk-core's).
    let instanceKey = UUID().uuidString.lowercased()
    // What worker heartbeats report: pollers at work and tasks handled, per kind.
    let workflowPollerFigures = PollerFigures()
    let stickyPollerFigures = PollerFigures()
    let activityPollerFigures = PollerFigures()
    let workflowTaskFigures = TaskSlotFigures()
    let activityTaskFigures = TaskSlotFigures()
    /// Test hook: errors armed for this worker's own calls (see `RPCFaults`).
    let faults = RPCFaults()
    /// Where workflow code runs (see `ReplayThreads`); stopped by the worker's shutdown.
    let replayThreads: ReplayThreads
    /// Set by the worker so eager activity tasks reach the activity handler.
    var runActivity: (@Sendable (Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse) -> Void)?

    private let statsLock = Lock()
    private var stats = WorkerStatistics()

    init(
        connection: TemporalConnection, taskQueue: String, options: WorkerOptions, logger: Logger,
        workflows: [String: WorkflowDefinition], activities: [String: ActivityDefinition]
    ) {
        self.connection = connection
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

    /// Every call the worker makes goes through here (so a test can fail chosen ones).
    func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, timeout: Duration, retry: RPCRetryPolicy = .default,
        as: Response.Type = Response.self
    ) async throws -> Response {
        if let fault = faults.take(method) { throw fault }
        if let delay = faults.delay(for: method) { try await Task.sleep(for: delay) }
        return try await connection.unary(method, request, timeout: timeout, retry: retry)
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
            let page: Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryResponse =
                try await TransportRetry.run(until: deadline) { [request] timeout in
                    try await unary("GetWorkflowExecutionHistory", request, timeout: timeout)
                }
            events += page.history.events
            request.nextPageToken = page.nextPageToken
        } while !request.nextPageToken.isEmpty
        return events
    }
}

/// Activities being executed, so shutdown can wait for them and fail the leftovers.
///
/// Two counts: the activity code running (`tasks`, which shutdown cancels after its grace) and the
/// activity tasks being handled from start to response (`handling`). Shutdown waits for the second:
/// a result computed but never reported would leave the server to time the attempt out.
final class InFlightActivities: @unchecked Sendable {
    /// How long shutdown waits, after the grace, for the responses of the activities it cancelled
    /// (each a retryable `WorkerShutdown` failure) and of those that finished on their own.
    static let responseGrace: Duration = .seconds(5)

    private let lock = Lock()
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var cancels: [Int: @Sendable () -> Void] = [:]
    private var lastId = 0
    private var handling = 0
    private(set) var shuttingDown = false

    /// Returns the id to remove it with.
    func add(task: Task<Void, Never>, cancel: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            lastId += 1
            tasks[lastId] = task
            cancels[lastId] = cancel
            return lastId
        }
    }

    func remove(_ id: Int) {
        _ = lock.withLock { (tasks.removeValue(forKey: id), cancels.removeValue(forKey: id)) }
    }

    /// An activity task is being handled until the matching `handlingEnded()` (after its response).
    func handlingStarted() { lock.withLock { handling += 1 } }
    func handlingEnded() { lock.withLock { handling -= 1 } }

    var isShuttingDown: Bool { lock.withLock { shuttingDown } }
    var count: Int { lock.withLock { tasks.count } }
    var handlingCount: Int { lock.withLock { handling } }

    /// Waits up to `grace` for the activity tasks being handled to finish and report, then cancels
    /// the code still running and waits (up to `responseGrace`) for every response to be sent.
    func drain(grace: Duration, responseGrace: Duration = InFlightActivities.responseGrace) async {
        lock.withLock { shuttingDown = true }
        let deadline = ContinuousClock.now.advanced(by: grace)
        while handlingCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let (remaining, cancels) = lock.withLock { (Array(tasks.values), Array(self.cancels.values)) }
        for cancel in cancels { cancel() }
        for task in remaining { await task.value }
        let responseDeadline = ContinuousClock.now.advanced(by: responseGrace)
        while handlingCount > 0 && ContinuousClock.now < responseDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
