import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns one polled workflow task into a response: finds or rebuilds the run (sticky cache or
/// full-history replay), applies the new events, answers attached queries, responds.
final class WorkflowTaskHandler: Sendable {
    let core: WorkerCore

    init(core: WorkerCore) { self.core = core }

    func handle(_ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse) async {
        core.metrics.workflowSlots.taken()
        defer {
            core.metrics.workflowSlots.freed()
            core.metrics.stickyCacheSize.record(core.cache.count)
        }
        if task.hasQuery {
            await handleQueryTask(task)
            return
        }
        let started = ContinuousClock.now
        let series = core.metrics.workflow(task.workflowType.name)
        core.workflowTaskFigures.taskStarted()
        var failed = false
        defer { core.workflowTaskFigures.taskEnded(failed: failed) }
        core.count { $0.workflowTasks += 1 }
        if task.hasScheduledTime && task.hasStartedTime {
            core.metrics.workflowTaskScheduleToStart.record(
                seconds: task.startedTime.timeIntervalSince1970 - task.scheduledTime.timeIntervalSince1970)
        }
        let runId = task.workflowExecution.runID
        var logger = core.logger
        logger[metadataKey: "workflow_id"] = .string(task.workflowExecution.workflowID)
        logger[metadataKey: "run_id"] = .string(runId)
        var held: CachedWorkflow?
        defer { if let held { core.cache.checkIn(held) } }
        do {
            let (entry, events, replaying) = try await prepareRun(task, series: series, logger: logger)
            held = entry
            let applying = ContinuousClock.now
            let liveActivities = await core.liveActivityAttempts(
                for: task.queries.values.map(\.queryType), of: task.workflowExecution)
            var commands: [Temporal_Api_Command_V1_Command] = []
            var queryResults: [String: Temporal_Api_Query_V1_WorkflowQueryResult] = [:]
            var coreUsedFlags: [UInt32] = []
            try entry.lock.withLock {
                // Evicted between lookup and now (cache overflow or shutdown): leave the task to
                // time out and be retried rather than report a bogus failure.
                if entry.run.isEvicted { throw CancellationError() }
                commands = try entry.run.apply(events: events, liveStartedEventId: task.startedEventID)
                coreUsedFlags = entry.run.takeCoreFlagsToRecord()
                for (id, query) in task.queries {
                    queryResults[id] = Self.queryResult(entry.run, query, liveActivities: liveActivities)
                }
            }
            if replaying { series.taskReplayLatency.record(ContinuousClock.now - applying) }
            let eager =
                core.options.eagerActivityExecution ? EagerActivityReservation(core: core, commands: &commands) : nil
            var request = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest()
            request.taskToken = task.taskToken
            request.commands = commands
            request.identity = core.identity
            request.namespace = core.namespace
            request.queryResults = queryResults
            if core.stickyExecution {
                request.stickyAttributes.workerTaskQueue = core.stickyTaskQueue
                request.stickyAttributes.scheduleToStartTimeout = .init(
                    rounding: core.options.stickyScheduleToStartTimeout)
            }
            request.sdkMetadata.sdkName = SDKIdentity.name
            request.sdkMetadata.sdkVersion = SDKIdentity.version
            request.sdkMetadata.coreUsedFlags = coreUsedFlags
            request.workerInstanceKey = core.instanceKey
            series.taskExecutionLatency.record(ContinuousClock.now - started)
            let response: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse
            do {
                response = try await core.connection.unary(
                    "RespondWorkflowTaskCompleted", request, timeout: .seconds(30))
            } catch {
                eager?.releaseAll()
                throw error
            }
            if entry.run.isFinished { core.cache.remove(runId) }
            eager?.dispatch(response)
            Self.countRunEnd(commands, run: entry.run, series: series)
        } catch let error as TemporalRPCError where error.code == .notFound {
            logger.info("workflow task no longer exists (stale token)", metadata: ["error": "\(error.message)"])
            core.cache.remove(runId)
        } catch is CancellationError {
            core.cache.remove(runId)
        } catch {
            core.cache.remove(runId)
            failed = true
            await fail(task, error: error, logger: logger)
        }
    }

    private func fail(
        _ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse, error: any Error,
        logger: Logger
    ) async {
        core.count { $0.workflowTaskFailures += 1 }
        core.metrics.workflow(task.workflowType.name).taskExecutionFailed.increment()
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
        request.identity = core.identity
        request.namespace = core.namespace
        do {
            let _: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskFailedResponse =
                try await core.connection.unary("RespondWorkflowTaskFailed", request, timeout: .seconds(30))
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

    /// The cached run when the task continues it, else a fresh run with the full history; and
    /// whether that run must replay history it had already run before (a cache miss).
    private func prepareRun(
        _ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        series: WorkflowTypeSeries, logger: Logger
    ) async throws -> (CachedWorkflow, [Temporal_Api_History_V1_HistoryEvent], replaying: Bool) {
        let runId = task.workflowExecution.runID
        var events = task.history.events
        if !task.nextPageToken.isEmpty {
            events += try await core.fetchHistory(task.workflowExecution, from: task.nextPageToken)
        }
        if let entry = core.cache.checkOut(runId) {
            let continues =
                entry.run.lastActivatedStartedEventId == task.previousStartedEventID
                && (events.first?.eventID ?? 0) <= entry.run.lastProcessedEventId + 1
            if continues {
                core.count { $0.cacheHits += 1 }
                series.stickyCacheHit.increment()
                return (entry, events, false)
            }
            logger.debug(
                "cached run is stale, replaying",
                metadata: [
                    "cached_started": "\(entry.run.lastActivatedStartedEventId)",
                    "previous_started": "\(task.previousStartedEventID)",
                ])
            core.cache.remove(runId)
            core.cache.checkIn(entry)
        }
        core.count { $0.cacheMisses += 1 }
        if events.first?.eventID != 1 {
            events = try await core.fetchHistory(task.workflowExecution, from: Data())
        }
        // Like sdk-core, a miss is a task whose run this worker should have had: one that has
        // run before. A new run's first task is no miss.
        let replaying = task.previousStartedEventID > 0
        if replaying {
            core.count { $0.replays += 1 }
            series.stickyCacheMiss.increment()
            logger.info("replaying workflow history", metadata: ["events": "\(events.count)"])
        }
        // A fetched history may already hold events that belong to the next task.
        if task.startedEventID > 0 { events = events.filter { $0.eventID <= task.startedEventID } }
        let entry = CachedWorkflow(run: try core.makeRun(task))
        core.cache.insertCheckedOut(runId, entry)
        return (entry, events, replaying)
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
        core.count { $0.queryTasks += 1 }
        var request = Temporal_Api_Workflowservice_V1_RespondQueryTaskCompletedRequest()
        request.taskToken = task.taskToken
        request.namespace = core.namespace
        do {
            let result: Temporal_Api_Query_V1_WorkflowQueryResult
            let liveActivities = await core.liveActivityAttempts(
                for: [task.query.queryType], of: task.workflowExecution)
            if let entry = core.cache.checkOut(task.workflowExecution.runID) {
                defer { core.cache.checkIn(entry) }
                result = entry.lock.withLock { Self.queryResult(entry.run, task.query, liveActivities: liveActivities) }
            } else {
                var events = task.history.events
                if !task.nextPageToken.isEmpty {
                    events += try await core.fetchHistory(task.workflowExecution, from: task.nextPageToken)
                }
                if events.first?.eventID != 1 {
                    events = try await core.fetchHistory(task.workflowExecution, from: Data())
                }
                let run = try core.makeRun(task)
                defer { run.evict() }
                try run.apply(events: events, liveStartedEventId: nil)
                result = Self.queryResult(run, task.query, liveActivities: liveActivities)
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
            let _: Temporal_Api_Workflowservice_V1_RespondQueryTaskCompletedResponse =
                try await core.connection.unary("RespondQueryTaskCompleted", request, timeout: .seconds(30))
        } catch {
            core.logger.warning("RespondQueryTaskCompleted failed", metadata: ["error": "\(error)"])
        }
    }
}
