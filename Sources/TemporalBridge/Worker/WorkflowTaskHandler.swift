import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns one polled workflow task into a response: finds or rebuilds the run (sticky cache or
/// full-history replay), applies the new events, answers attached queries, responds.
final class WorkflowTaskHandler: Sendable {
    let shared: WorkerSharedState

    init(shared: WorkerSharedState) { self.shared = shared }

    /// Until the server has seen a WorkflowExecutionStarted for the run: its default task timeout.
    static let defaultWorkflowTaskTimeout: Duration = .seconds(10)

    /// Returns the eager activity the completion brought back, for the caller to run once the task's slot is free.
    func handle(_ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse) async
        -> TaskFollowUp?
    {
        shared.metrics.workflowSlots.taken()
        defer {
            // A new run's room, if its task failed before caching it.
            shared.cache.arrivalEnded(task.workflowExecution.runID)
            shared.metrics.workflowSlots.freed()
            shared.metrics.stickyCacheSize.record(shared.cache.count)
        }
        if task.hasQuery {
            await handleQueryTask(task)
            return nil
        }
        let received = ContinuousClock.now
        let series = shared.metrics.workflow(task.workflowType.name)
        shared.workflowTaskFigures.taskStarted()
        var failure: (any Error)?
        defer { shared.workflowTaskFigures.taskEnded(failed: failure != nil) }
        shared.count { $0.workflowTasks += 1 }
        if task.hasScheduledTime && task.hasStartedTime {
            shared.metrics.workflowTaskScheduleToStart.record(
                seconds: task.startedTime.timeIntervalSince1970 - task.scheduledTime.timeIntervalSince1970)
        }
        let runId = task.workflowExecution.runID
        let logger = shared.logger.adding([
            "workflow_id": .string(task.workflowExecution.workflowID), "run_id": .string(runId),
        ])
        var held: CachedWorkflow?
        defer { if let held { shared.cache.checkIn(held) } }
        // The task being answered: a heartbeat replaces it with the one the server hands back.
        var current = task
        do {
            let (entry, events, replaying) = try await prepareRun(
                task, until: received + Self.defaultWorkflowTaskTimeout, series: series, logger: logger)
            held = entry
            try await entry.gate.acquire()
            defer { entry.gate.release() }
            let applying = ContinuousClock.now
            var currentReceived = received
            let liveActivities = await shared.liveActivityAttempts(
                for: task.queries.values.map(\.queryType), of: task.workflowExecution)
            var activation: Activation
            if Self.activatesInline(events: events, replaying: replaying) {
                activation = try Self.activate(entry, events: events, task: task, liveActivities: liveActivities)
            } else {
                guard
                    let result = try await activateOnReplayThread(
                        entry, events: events, task: task, liveActivities: liveActivities, received: received,
                        current: &current, currentReceived: &currentReceived, logger: logger)
                else {
                    shared.cache.remove(entry)
                    return nil
                }
                activation = result
            }
            if current.taskToken != task.taskToken {
                // The events of the heartbeat tasks (WorkflowTaskCompleted/Scheduled/Started, and
                // whatever arrived meanwhile); the activation's commands are still pending in the run.
                let next = current
                let earlier = activation
                activation = try await shared.replayThreads.run {
                    try Self.activate(entry, events: next.history.events, task: next)
                }
                activation.merge(after: earlier)
            }
            if !activation.localActivities.isEmpty {
                // Local activities run inside the task; it completes once none is left.
                guard
                    try await runLocalActivities(
                        entry, activation: &activation, current: &current, currentReceived: &currentReceived,
                        logger: logger)
                else {
                    shared.cache.remove(entry)
                    return nil
                }
            }
            if replaying { series.taskReplayLatency.record(ContinuousClock.now - applying) }
            // After this the server times the task out and schedules it again.
            let deadline = currentReceived + entry.workflowTaskTimeout
            var commands = activation.commands
            let eager =
                shared.options.eagerActivityExecution
                ? EagerActivityReservation(shared: shared, commands: &commands) : nil
            var request = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest()
            request.taskToken = current.taskToken
            request.commands = commands
            request.identity = shared.identity
            request.namespace = shared.namespace
            request.queryResults = activation.queryResults
            if shared.stickyExecution {
                request.stickyAttributes.workerTaskQueue = shared.stickyTaskQueue
                request.stickyAttributes.scheduleToStartTimeout = .init(
                    rounding: shared.options.stickyScheduleToStartTimeout)
            }
            request.sdkMetadata.sdkName = SDKIdentity.name
            request.sdkMetadata.sdkVersion = SDKIdentity.version
            request.sdkMetadata.coreUsedFlags = activation.coreUsedFlags
            request.workerInstanceKey = shared.instanceKey
            series.taskExecutionLatency.record(ContinuousClock.now - received)
            let response: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse
            do {
                // A used task token answers NOT_FOUND, so sending the same completion again is safe.
                response = try await TransportRetry.run(until: deadline) { [request] timeout in
                    try await shared.service.respondWorkflowTaskCompleted(request, timeout: timeout, retry: .default)
                }
            } catch {
                eager?.releaseAll()
                throw error
            }
            if entry.run.isFinished { shared.cache.remove(entry) }
            Self.countRunEnd(commands, run: entry.run, series: series)
            return eager?.dispatch(response)
        } catch let error as TemporalRPCError where error.code == .notFound {
            logger.info("workflow task no longer exists (stale token)", metadata: ["error": "\(error.message)"])
        } catch is CancellationError {
            // Evicted or shutting down: the task times out and comes back.
        } catch let error as TemporalRPCError {
            // Fetching history or responding failed: a transport or server problem, not the
            // workflow's. The run may or may not have been advanced on the server; the task times
            // out and comes back (with full history), and nothing is written into the workflow's
            // history about the hiccup.
            logger.warning(
                "workflow task abandoned after a call failed; the server will time it out and retry",
                metadata: ["error": "\(error)", "attempt": "\(current.attempt)"])
        } catch {
            failure = error
        }
        // The run this task drove may now be ahead of the server's history: dropped (before a failure is reported and
        // the next attempt may arrive), a later task replays it.
        if let held { shared.cache.remove(held) }
        if let failure { await fail(current, error: failure, logger: logger) }
        return nil
    }

    /// What one activation produced: the commands to send and the answers to the task's queries.
    struct Activation: Sendable {
        var commands: [Temporal_Api_Command_V1_Command]
        var queryResults: [String: Temporal_Api_Query_V1_WorkflowQueryResult]
        /// sdk-core flags this activation used for the first time (sent in the task's metadata).
        var coreUsedFlags: [UInt32]
        /// Local activities the task must run before it completes.
        var localActivities: [LocalActivityRequest] = []
    }

    /// Applies `events` and runs the workflow code (inline or on a replay thread: `activatesInline`).
    static func activate(
        _ entry: CachedWorkflow, events: [Temporal_Api_History_V1_HistoryEvent],
        task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        liveActivities: [String: LiveActivityAttempt] = [:]
    ) throws -> Activation {
        try entry.lock.withLock {
            // Evicted between lookup and now (cache overflow or shutdown): leave the task to
            // time out and be retried rather than report a bogus failure.
            if entry.run.isEvicted { throw CancellationError() }
            let commands = try entry.run.apply(events: events, liveStartedEventId: task.startedEventID)
            let coreUsedFlags = entry.run.takeCoreFlagsToRecord()
            let localActivities = entry.run.takeLocalActivityRequests()
            var queryResults: [String: Temporal_Api_Query_V1_WorkflowQueryResult] = [:]
            for (id, query) in task.queries {
                queryResults[id] = queryResult(entry.run, query, liveActivities: liveActivities)
            }
            return Activation(
                commands: commands, queryResults: queryResults, coreUsedFlags: coreUsedFlags,
                localActivities: localActivities)
        }
    }

    private func fail(
        _ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse, error: any Error,
        logger: Logger
    ) async {
        shared.count { $0.workflowTaskFailures += 1 }
        shared.metrics.workflow(task.workflowType.name).taskExecutionFailed.increment()
        let nonDeterministic = error is NonDeterminismError
        logger.error(
            "workflow task failed",
            metadata: [
                "error": "\(error)", "attempt": "\(task.attempt)", "non_deterministic": "\(nonDeterministic)",
            ])
        // Like the official SDKs: report only the first attempt, then let the task time out and
        // retry quietly so a broken workflow does not flood history.
        guard task.attempt <= 1 else { return }
        var request = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskFailedRequest()
        request.taskToken = task.taskToken
        request.cause = nonDeterministic ? .nonDeterministicError : .workflowWorkerUnhandledFailure
        var failure = FailureConverter.failure(
            from: ApplicationFailure(
                type: String(describing: type(of: error)), message: "\(error)"))
        failure.message = "\(error)"
        request.failure = failure
        request.identity = shared.identity
        request.namespace = shared.namespace
        do {
            _ = try await shared.service.respondWorkflowTaskFailed(request, timeout: .seconds(30), retry: .default)
        } catch {
            logger.warning("RespondWorkflowTaskFailed failed", metadata: ["error": "\(error)"])
        }
    }

    /// The sent commands that end the run, counted as the SDKs count them once the server took them.
    private static func countRunEnd(
        _ commands: [Temporal_Api_Command_V1_Command], run: WorkflowRun, series: WorkflowTypeSeries
    ) {
        for command in commands {
            switch command.attributes {
            case .completeWorkflowExecutionCommandAttributes?: series.completed.increment()
            case .failWorkflowExecutionCommandAttributes?: series.failed.increment()
            case .cancelWorkflowExecutionCommandAttributes?: series.canceled.increment()
            default: continue
            }
            if let startedAt = run.startedAt {
                series.endToEndLatency.record(seconds: Date().timeIntervalSince(startedAt))
            }
        }
    }

    /// A cached run's next events take tens of microseconds to apply: on the task's own thread that is cheaper than
    /// the hand-over to a replay thread and back (two thread wake-ups and a heartbeat timer per workflow task). A
    /// replay, or a long stretch of new events, goes to a replay thread, where it cannot hold up the pollers and the
    /// task can be heartbeated while it runs.
    static let inlineActivationEventLimit = 32

    static func activatesInline(events: [Temporal_Api_History_V1_HistoryEvent], replaying: Bool) -> Bool {
        !replaying && events.count <= inlineActivationEventLimit
    }

    /// Runs the activation on a replay thread and heartbeats the task (`WorkflowTaskHeartbeat`) while it runs long;
    /// nil when a heartbeat brought no new task back (the next one comes by poll).
    private func activateOnReplayThread(
        _ entry: CachedWorkflow, events: [Temporal_Api_History_V1_HistoryEvent],
        task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        liveActivities: [String: LiveActivityAttempt],
        received: ContinuousClock.Instant,
        current: inout Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        currentReceived: inout ContinuousClock.Instant, logger: Logger
    ) async throws -> Activation? {
        let pending = shared.replayThreads.submit {
            try Self.activate(entry, events: events, task: task, liveActivities: liveActivities)
        }
        while true {
            let beat = currentReceived + entry.workflowTaskTimeout * WorkflowTaskHeartbeat.fraction
            if let outcome = await pending.wait(until: beat) {
                return try outcome.get()
            }
            // Still running at 80 % of the task's timeout: complete it empty, keep the next one.
            logger.info(
                "workflow task heartbeat: activation still running",
                metadata: ["elapsed_ms": "\((ContinuousClock.now - received).milliseconds)"])
            shared.count { $0.workflowTaskHeartbeats += 1 }
            let next: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse?
            do {
                next = try await WorkflowTaskHeartbeat.send(
                    current, shared: shared, until: currentReceived + entry.workflowTaskTimeout)
            } catch {
                // The run must not be evicted under the activation still running on its thread.
                _ = await pending.value()
                throw error
            }
            guard let next else {
                logger.warning("workflow task heartbeat returned no new task; the next one comes by poll")
                _ = await pending.value()
                return nil
            }
            current = next
            currentReceived = .now
        }
    }

    /// The cached run when the task continues it, else a fresh run with the full history; and
    /// whether that run must replay history it had already run before (a cache miss).
    private func prepareRun(
        _ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        until deadline: ContinuousClock.Instant, series: WorkflowTypeSeries, logger: Logger
    ) async throws -> (CachedWorkflow, [Temporal_Api_History_V1_HistoryEvent], replaying: Bool) {
        let runId = task.workflowExecution.runID
        var events = task.history.events
        if !task.nextPageToken.isEmpty {
            events += try await shared.fetchHistory(task.workflowExecution, from: task.nextPageToken, until: deadline)
        }
        if let entry = shared.cache.checkOut(runId) {
            let continues =
                entry.run.lastActivatedStartedEventId == task.previousStartedEventID
                && (events.first?.eventID ?? 0) <= entry.run.lastProcessedEventId + 1
            if continues {
                shared.count { $0.cacheHits += 1 }
                series.stickyCacheHit.increment()
                return (entry, events, false)
            }
            logger.debug(
                "cached run is stale, replaying",
                metadata: [
                    "cached_started": "\(entry.run.lastActivatedStartedEventId)",
                    "previous_started": "\(task.previousStartedEventID)",
                ])
            shared.cache.remove(entry)
            shared.cache.checkIn(entry)
        }
        shared.count { $0.cacheMisses += 1 }
        if events.first?.eventID != 1 {
            events = try await shared.fetchHistory(task.workflowExecution, from: Data(), until: deadline)
        }
        // Like sdk-core, a miss is a task whose run this worker should have had: one that has
        // run before. A new run's first task is no miss.
        let replaying = task.previousStartedEventID > 0
        if replaying {
            shared.count { $0.replays += 1 }
            series.stickyCacheMiss.increment()
            logger.info("replaying workflow history", metadata: ["events": "\(events.count)"])
        }
        // A fetched history may already hold events that belong to the next task.
        if task.startedEventID > 0 { events = events.filter { $0.eventID <= task.startedEventID } }
        let entry = CachedWorkflow(run: try shared.makeRun(task), workflowTaskTimeout: Self.workflowTaskTimeout(events))
        shared.cache.insertCheckedOut(runId, entry)
        return (entry, events, replaying)
    }

    /// The run's workflow task timeout from its WorkflowExecutionStarted event.
    static func workflowTaskTimeout(_ events: [Temporal_Api_History_V1_HistoryEvent]) -> Duration {
        guard case .workflowExecutionStartedEventAttributes(let started)? = events.first?.attributes,
            started.hasWorkflowTaskTimeout
        else { return defaultWorkflowTaskTimeout }
        let timeout = started.workflowTaskTimeout
        let duration = Duration.seconds(timeout.seconds) + .nanoseconds(Int64(timeout.nanos))
        return duration > .zero ? duration : defaultWorkflowTaskTimeout
    }

    static func queryResult(
        _ run: WorkflowRun, _ query: Temporal_Api_Query_V1_WorkflowQuery,
        liveActivities: [String: LiveActivityAttempt] = [:]
    ) -> Temporal_Api_Query_V1_WorkflowQueryResult {
        var result = Temporal_Api_Query_V1_WorkflowQueryResult()
        do {
            let answer = try run.answerQuery(
                name: query.queryType, arguments: WorkflowArguments(query.queryArgs.payloads),
                liveActivities: liveActivities)
            result.resultType = .answered
            result.answer.payloads = [answer]
        } catch {
            result.resultType = .failed
            result.errorMessage = "\(error)"
            result.failure = FailureConverter.failure(
                from: ApplicationFailure(type: "QueryFailed", message: "\(error)"))
            result.failure.message = "\(error)"
        }
        return result
    }

    /// A query-only task (field `query`): answer from the cached run or a replayed one.
    private func handleQueryTask(_ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse) async {
        shared.count { $0.queryTasks += 1 }
        var request = Temporal_Api_Workflowservice_V1_RespondQueryTaskCompletedRequest()
        request.taskToken = task.taskToken
        request.namespace = shared.namespace
        do {
            let result: Temporal_Api_Query_V1_WorkflowQueryResult
            let liveActivities = await shared.liveActivityAttempts(
                for: [task.query.queryType], of: task.workflowExecution)
            if let entry = shared.cache.checkOut(task.workflowExecution.runID) {
                defer { shared.cache.checkIn(entry) }
                try await entry.gate.acquire()
                defer { entry.gate.release() }
                result = try await shared.replayThreads.run {
                    entry.lock.withLock { Self.queryResult(entry.run, task.query, liveActivities: liveActivities) }
                }
            } else {
                let deadline = ContinuousClock.now + Self.defaultWorkflowTaskTimeout
                var events = task.history.events
                if !task.nextPageToken.isEmpty {
                    events += try await shared.fetchHistory(
                        task.workflowExecution, from: task.nextPageToken, until: deadline)
                }
                if events.first?.eventID != 1 {
                    events = try await shared.fetchHistory(task.workflowExecution, from: Data(), until: deadline)
                }
                let run = try shared.makeRun(task)
                let replayed = events
                result = try await shared.replayThreads.run {
                    defer { run.evict() }
                    try run.apply(events: replayed, liveStartedEventId: nil)
                    return Self.queryResult(run, task.query, liveActivities: liveActivities)
                }
            }
            request.completedType = result.resultType
            request.queryResult = result.answer
            request.errorMessage = result.errorMessage
            if result.hasFailure { request.failure = result.failure }
        } catch {
            request.completedType = .failed
            request.errorMessage = "\(error)"
        }
        do {
            _ = try await shared.service.respondQueryTaskCompleted(request, timeout: .seconds(30), retry: .default)
        } catch {
            shared.logger.warning("RespondQueryTaskCompleted failed", metadata: ["error": "\(error)"])
        }
    }
}
