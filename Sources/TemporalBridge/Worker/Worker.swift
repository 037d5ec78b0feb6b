import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Polls one task queue of one namespace and runs the registered workflows and activities.
///
/// Workflow tasks are polled on the normal queue and on this worker's sticky queue at the same
/// time; runs stay cached (LRU) so sticky tasks carry only new events. `run()` works until its
/// task is cancelled or `shutdown()` is called, then shuts down gracefully.
public final class Worker: Sendable {
    public let taskQueue: String
    private let shared: WorkerSharedState
    private let stop = StopSignal()
    private let fatal = FatalErrorBox()

    public init(
        connection: TemporalConnection, taskQueue: String, workflows: [WorkflowDefinition],
        activities: [ActivityDefinition], options: WorkerOptions = WorkerOptions(),
        logger: Logger = Logger(label: "temporal.worker")
    ) {
        self.taskQueue = taskQueue
        var logger = logger
        logger[metadataKey: "task_queue"] = .string(taskQueue)
        shared = WorkerSharedState(
            connection: connection, taskQueue: taskQueue, options: options, logger: logger,
            workflows: Dictionary(workflows.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last }),
            activities: Dictionary(activities.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last }))
        let shared = self.shared
        let activityHandler = ActivityTaskHandler(shared: shared)
        shared.runActivity = { task in
            defer { shared.activitySlots.release() }
            await activityHandler.handle(task)
        }
    }

    /// Name of this worker's sticky task queue (`<host>:<uuid>`).
    public var stickyTaskQueue: String { shared.stickyTaskQueue.name }
    public var identity: String { shared.identity }
    /// Names this worker in its heartbeats: `DescribeWorker` / `temporal worker describe` take it.
    public var instanceKey: String { shared.instanceKey }
    /// Counts of cache hits/misses, replays, tasks handled.
    public var statistics: WorkerStatistics { shared.statistics }
    /// Ready while `run()` polls, Temporal answers and every poller's latest poll got an answer.
    public var readiness: WorkerReadiness {
        shared.pollHealth.readiness(
            unreachable: shared.connection.unreachable, target: shared.connection.options.target)
    }

    /// For tests: errors to inject into this worker's own calls.
    var faults: RPCFaults { shared.faults }

    /// For tests: drops every cached run, as a full cache would; the next task replays its history.
    func dropCachedRuns() { shared.cache.removeAll() }

    /// Stops polling and shuts down gracefully; `run()` returns when done.
    public func shutdown() { stop.fire() }

    /// Polls and runs tasks until `shutdown()` or cancellation, then shuts down gracefully.
    /// Throws `WorkerFatalError` (after shutting down) when a poll fails in a way retrying cannot fix.
    public func run() async throws {
        let pollers = startPollers()
        shared.pollHealth.running()
        let heartbeats = WorkerHeartbeatReporter(shared: shared)
        let heartbeating = shared.options.heartbeatInterval.map { interval in
            Task { await heartbeats.run(interval: interval) }
        }
        shared.logger.info(
            "worker started",
            metadata: [
                "sticky_queue": "\(shared.stickyTaskQueue.name)", "identity": "\(shared.identity)",
                "instance_key": "\(shared.instanceKey)",
                "workflows": "\(shared.workflows.keys.sorted())", "activities": "\(shared.activities.keys.sorted())",
            ])
        await withTaskCancellationHandler {
            await stop.wait()
        } onCancel: {
            stop.fire()
        }
        // The shutdown sequence must not be cut short by our own cancellation.
        heartbeating?.cancel()
        await heartbeating?.value
        let finalHeartbeat = heartbeating == nil ? nil : heartbeats.finalHeartbeat()
        await Task { [shared] in
            await Self.shutdownSequence(shared: shared, pollers: pollers, finalHeartbeat: finalHeartbeat)
        }.value
        if let error = fatal.error { throw error }
    }

    /// The first fatal poll error stops the worker, with one log line; later ones are the same news.
    private func stopFatally(_ cause: TemporalRPCError) {
        let error = WorkerFatalError(namespace: shared.namespace, taskQueue: taskQueue, cause: cause)
        guard fatal.record(error) else { return }
        shared.logger.critical("worker stopping: \(error)")
        stop.fire()
    }

    private func startPollers() -> [Task<Void, Never>] {
        let workflowHandler = WorkflowTaskHandler(shared: shared)
        let activityHandler = ActivityTaskHandler(shared: shared)
        var tasks: [Task<Void, Never>] = []
        var normal = Temporal_Api_Taskqueue_V1_TaskQueue()
        normal.name = taskQueue
        normal.kind = .normal
        let queues = shared.stickyExecution ? [normal, shared.stickyTaskQueue] : [normal, normal]
        for (queueIndex, queue) in queues.enumerated() {
            for pollerIndex in 0..<max(1, shared.options.workflowTaskPollers) {
                let index = queueIndex * shared.options.workflowTaskPollers + pollerIndex
                let poller = TaskPoller<Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse>(
                    name: "workflow-\(queue.kind == .sticky ? "sticky" : "normal")-\(index)",
                    kind: queue.kind == .sticky ? .stickyWorkflow : .workflow, slots: shared.workflowSlots,
                    shared: shared,
                    figures: queue.kind == .sticky ? shared.stickyPollerFigures : shared.workflowPollerFigures,
                    poll: { [shared] in
                        // New runs come from the normal queue: take one only when the cache has room
                        // for it (`WorkflowCache.admitNewRun`); sticky polls go on, finish runs and so
                        // make room.
                        let admitting = queue.kind == .normal && shared.stickyExecution
                        if admitting {
                            try await shared.cache.admitNewRun(idle: shared.options.stickyScheduleToStartTimeout)
                        }
                        var bringing: String?
                        defer { if admitting { shared.cache.endAdmission(bringing: bringing) } }
                        var request = Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueRequest()
                        request.namespace = shared.namespace
                        request.taskQueue = queue
                        request.identity = shared.identity
                        request.workerInstanceKey = shared.instanceKey
                        // The connection re-sends a poll that could not reach the server within its
                        // policy (UNAVAILABLE, RESOURCE_EXHAUSTED); anything else comes back to the
                        // poller, which backs off or stops the worker (`TaskPoller`).
                        let response = try await shared.service.pollWorkflowTaskQueue(
                            request, timeout: shared.options.longPollTimeout, retry: .default)
                        if queue.kind == .sticky {
                            shared.cache.recordStickyBacklog(response.taskToken.isEmpty ? 0 : response.backlogCountHint)
                        }
                        if response.taskToken.isEmpty { return nil }
                        bringing = response.workflowExecution.runID
                        return response
                    },
                    handle: { task in await workflowHandler.handle(task) },
                    onFatal: { [weak self] error in self?.stopFatally(error) })
                tasks.append(Task { await poller.run() })
            }
        }
        if !shared.activities.isEmpty {
            for index in 0..<max(1, shared.options.activityTaskPollers) {
                let poller = TaskPoller<Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse>(
                    name: "activity-\(index)", kind: .activity, slots: shared.activitySlots, shared: shared,
                    figures: shared.activityPollerFigures,
                    poll: { [shared, taskQueue] in
                        var request = Temporal_Api_Workflowservice_V1_PollActivityTaskQueueRequest()
                        request.namespace = shared.namespace
                        request.taskQueue.name = taskQueue
                        request.taskQueue.kind = .normal
                        request.identity = shared.identity
                        request.workerInstanceKey = shared.instanceKey
                        let response = try await shared.service.pollActivityTaskQueue(
                            request, timeout: shared.options.longPollTimeout, retry: .default)
                        return response.taskToken.isEmpty ? nil : response
                    },
                    handle: { task in
                        await activityHandler.handle(task)
                        return nil
                    },
                    onFatal: { [weak self] error in self?.stopFatally(error) })
                tasks.append(Task { await poller.run() })
            }
        }
        return tasks
    }

    private static func shutdownSequence(
        shared: WorkerSharedState, pollers: [Task<Void, Never>], finalHeartbeat: Temporal_Api_Worker_V1_WorkerHeartbeat?
    ) async {
        shared.logger.info("worker shutting down")
        shared.pollHealth.shuttingDown()
        // Tell the server first so tasks for our sticky queue go to the normal queue at once; the
        // final heartbeat (status SHUTTING_DOWN) rides along, as with the official SDKs.
        var request = Temporal_Api_Workflowservice_V1_ShutdownWorkerRequest()
        request.namespace = shared.namespace
        request.stickyTaskQueue = shared.stickyTaskQueue.name
        request.identity = shared.identity
        request.reason = "graceful shutdown"
        request.workerInstanceKey = shared.instanceKey
        if let finalHeartbeat { request.workerHeartbeat = finalHeartbeat }
        do {
            _ = try await shared.service.shutdownWorker(request, timeout: .seconds(5), retry: .none)
        } catch {
            shared.logger.debug("ShutdownWorker failed", metadata: ["error": "\(error)"])
        }
        for poller in pollers { poller.cancel() }
        for poller in pollers { await poller.value }
        // Let workflow tasks being handled finish before their runs are evicted.
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while shared.workflowSlots.available < shared.options.maxConcurrentWorkflowTasks
            && ContinuousClock.now < deadline
        {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await shared.inFlightActivities.drain(grace: shared.options.gracefulShutdownTimeout)
        shared.cache.removeAll()
        shared.replayThreads.shutdown()
        let stats = shared.statistics
        shared.logger.info(
            "worker stopped",
            metadata: [
                "cache_hits": "\(stats.cacheHits)", "cache_misses": "\(stats.cacheMisses)",
                "replays": "\(stats.replays)",
                "workflow_tasks": "\(stats.workflowTasks)", "activity_tasks": "\(stats.activityTasks)",
            ])
    }
}
