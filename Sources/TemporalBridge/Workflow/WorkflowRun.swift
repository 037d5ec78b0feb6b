import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One workflow run: its deterministic executor, its state, and the history state machine that
/// feeds events to it in order and checks the commands it produces against history.
///
/// `apply(events:liveStartedEventId:)` is synchronous and must be called by one thread at a
/// time (the worker serialises tasks of one run).
final class WorkflowRun: @unchecked Sendable {
    let definition: WorkflowDefinition
    let workflowId: String
    let runId: String
    let namespace: String
    private let baseLogger: Logger
    let executor = WorkflowExecutor()
    private(set) var context: WorkflowContext?
    private var rootTask: Task<Void, Never>?
    private var startInput = WorkflowArguments([])

    /// Id of the last history event applied.
    private(set) var lastProcessedEventId: Int64 = 0
    /// Id of the last WorkflowTaskStarted for which workflow code ran.
    private(set) var lastActivatedStartedEventId: Int64 = 0
    /// True right after WorkflowTaskCompleted: the following command events must match the outbox.
    private var matchingCommands = false
    /// Set after a deprecated patch marker that no command matched: the TemporalChangeVersion
    /// upsert sdk-core wrote with it is skipped too.
    private var skipPatchSearchAttributeEvent = false
    /// When the run started (its WorkflowExecutionStarted event), for end-to-end latency.
    private(set) var startedAt: Date?

    init(definition: WorkflowDefinition, namespace: String, workflowId: String, runId: String, logger: Logger) {
        self.definition = definition
        self.namespace = namespace
        self.workflowId = workflowId
        self.runId = runId
        self.baseLogger = logger
    }

    var isFinished: Bool { context?.completion != nil }
    /// True once `evict()` ran; an evicted run must never be driven again.
    private(set) var isEvicted = false

    /// Applies `events` (continuing exactly after the last applied event) and runs workflow code
    /// at every WorkflowTaskStarted that history shows completed, and at `liveStartedEventId`.
    /// Returns the commands not yet matched by history: for a live task, the ones to send.
    @discardableResult
    func apply(events: [Temporal_Api_History_V1_HistoryEvent], liveStartedEventId: Int64?) throws
        -> [Temporal_Api_Command_V1_Command]
    {
        executor.beginDriving()
        defer { executor.endDriving() }
        for (index, event) in events.enumerated() {
            if event.eventID <= lastProcessedEventId { continue }
            guard event.eventID == lastProcessedEventId + 1 else {
                throw WorkflowTaskFailure(
                    "history gap: expected event \(lastProcessedEventId + 1), got \(event.eventID)")
            }
            lastProcessedEventId = event.eventID
            context?.setReplaying(liveStartedEventId.map { event.eventID < $0 } ?? true)
            if HistoryEventKind.isCommandEvent(event) {
                try matchCommand(event)
                continue
            }
            skipPatchSearchAttributeEvent = false
            if matchingCommands {
                try ensureAllCommandsMatched(before: event)
            }
            try applyNonCommandEvent(event, following: events[(index + 1)...], liveStartedEventId: liveStartedEventId)
        }
        return context?.outbox.commands ?? []
    }

    /// sdk-core internal flags the commands just produced rely on that history does not name yet;
    /// the completion sent with them must carry these (`sdk_metadata.core_used_flags`).
    func takeCoreFlagsToRecord() -> [UInt32] {
        context?.takeCoreFlagsToRecord() ?? []
    }

    /// For a replayed history that ends after command events: every command must have matched.
    func finishReplay() throws {
        guard let context, !context.outbox.isEmpty, matchingCommands else { return }
        let missing = context.outbox.entries[0].command
        throw NonDeterminismError(
            "workflow produced command \(HistoryEventKind.describe(missing)) but history has no matching event "
                + "(history ends at event \(lastProcessedEventId))")
    }

    private func applyNonCommandEvent(
        _ event: Temporal_Api_History_V1_HistoryEvent,
        following: ArraySlice<Temporal_Api_History_V1_HistoryEvent>,
        liveStartedEventId: Int64?
    ) throws {
        let next = following.first
        switch event.attributes {
        case .workflowExecutionStartedEventAttributes(let attributes)?:
            start(attributes, at: event)
        case .workflowTaskStartedEventAttributes?:
            if let next, next.eventType == .workflowTaskFailed || next.eventType == .workflowTaskTimedOut {
                return  // that attempt produced nothing; a later one will run the code
            }
            let isLive = event.eventID == liveStartedEventId
            if next == nil && !isLive && liveStartedEventId != nil {
                throw WorkflowTaskFailure(
                    "history ends at WorkflowTaskStarted \(event.eventID), task is \(liveStartedEventId!)")
            }
            if !isLive { context?.peekAhead(following) }
            try activate(at: event, live: isLive)
        case .workflowTaskCompletedEventAttributes?:
            context?.noteFlags(of: event)
            // A completed task with no command events after it sent no commands: a workflow task
            // heartbeat (see WorkflowTaskHeartbeat). What the code produced is still to be sent, with
            // a later task, and is matched against that task's command events.
            matchingCommands = next.map(HistoryEventKind.isCommandEvent) ?? true
        case .workflowTaskFailedEventAttributes(let attributes)? where attributes.cause == .resetWorkflow:
            // From here on the code runs as the reset's new run: draw from its id (as sdk-core and
            // the Java SDK do), in the worker and in the replayer alike.
            if !attributes.newRunID.isEmpty { context?.random.reseed(from: attributes.newRunID) }
        case .activityTaskStartedEventAttributes(let attributes)?:
            context?.activityStarted(attributes)
        case .activityTaskCompletedEventAttributes(let attributes)?:
            context?.activityCompleted(attributes)
        case .activityTaskFailedEventAttributes(let attributes)?:
            context?.activityFailed(
                scheduledEventId: attributes.scheduledEventID, failure: attributes.failure,
                retryState: attributes.retryState)
        case .activityTaskTimedOutEventAttributes(let attributes)?:
            context?.activityFailed(
                scheduledEventId: attributes.scheduledEventID, failure: attributes.failure,
                retryState: attributes.retryState)
        case .activityTaskCanceledEventAttributes(let attributes)?:
            context?.activityCanceled(scheduledEventId: attributes.scheduledEventID)
        case .timerFiredEventAttributes(let attributes)?:
            context?.timerFired(timerId: attributes.timerID)
        case .workflowExecutionSignaledEventAttributes(let attributes)?:
            context?.deliverSignal(name: attributes.signalName, arguments: WorkflowArguments(attributes.input.payloads))
        case .workflowExecutionCancelRequestedEventAttributes?:
            guard let context, !context.cancelRequested else { return }
            context.cancelRequested = true
            // Cancels every structured child; their cancellation handlers emit the cancel commands.
            if definition.cancellation == .cancelsWorkflow { rootTask?.cancel() }
        default:
            break  // WorkflowTaskScheduled/Failed/TimedOut, Terminated, TimedOut...: nothing to do
        }
    }

    // MARK: starting and running workflow code

    private func start(
        _ attributes: Temporal_Api_History_V1_WorkflowExecutionStartedEventAttributes,
        at event: Temporal_Api_History_V1_HistoryEvent
    ) {
        let info = WorkflowInfo(
            namespace: namespace, workflowId: workflowId, runId: runId,
            workflowType: attributes.workflowType.name,
            taskQueue: attributes.taskQueue.name, attempt: Int(max(1, attributes.attempt)))
        let seedRunId = attributes.originalExecutionRunID.isEmpty ? runId : attributes.originalExecutionRunID
        let context = WorkflowContext(info: info, now: event.eventTime.date, seedRunId: seedRunId, logger: baseLogger)
        context.executor = executor
        self.context = context
        startedAt = event.eventTime.date
        startInput = WorkflowArguments(attributes.input.payloads)
    }

    private func activate(at event: Temporal_Api_History_V1_HistoryEvent, live: Bool) throws {
        guard let context else { throw WorkflowTaskFailure("history does not start with WorkflowExecutionStarted") }
        context.now = event.eventTime.date
        context.setReplaying(!live)
        lastActivatedStartedEventId = event.eventID
        if live { context.localActivitiesGoLive() }
        if rootTask == nil { startRootTask(context) }
        try runUntilStable(context)
    }

    private func startRootTask(_ context: WorkflowContext) {
        let definition = self.definition
        let input = startInput
        // Detached: the run's task takes no copy of the task-locals of the workflow task that starts it (workflow code
        // sees only its WorkflowContext), a copy every cached run would otherwise hold in its first task-allocator slab.
        rootTask = Task.detached(executorPreference: executor) {
            await WorkflowContext.$current.withValue(context) {
                do {
                    let output = try await definition.run(input)
                    context.finish(.success(output))
                } catch {
                    context.finish(.failure(error))
                }
            }
        }
    }

    /// Runs queued jobs, then wakes satisfied conditions, until nothing moves.
    func runUntilStable(_ context: WorkflowContext) throws {
        repeat {
            executor.runUntilIdle()
        } while context.completion == nil && context.resumeSatisfiedConditions()
        if executor.escapedJobCount > 0 {
            throw WorkflowTaskFailure(
                "workflow code escaped the deterministic runtime (\(executor.escapedJobCount) job(s) enqueued from "
                    + "another thread: Task {}, Task.detached, Task.sleep, an actor or a dispatch queue?)")
        }
        if let failure = context.taskFailure { throw failure }
        if context.completion == nil && !context.hasPendingWaits {
            throw WorkflowTaskFailure(
                "workflow is blocked outside the runtime: it is not finished and waits on no activity, timer or "
                    + "condition (awaiting Task.sleep, an actor, or another task?)")
        }
    }

    // MARK: matching commands against history

    private func matchCommand(_ event: Temporal_Api_History_V1_HistoryEvent) throws {
        guard let context else { throw NonDeterminismError("command event \(event.eventID) before workflow start") }
        if skipPatchSearchAttributeEvent {
            skipPatchSearchAttributeEvent = false
            if PatchMarker.isSearchAttributeEvent(event) { return }
        }
        switch try patchMarkerHandling(event, context: context) {
        case .skipEvent:
            skipPatchSearchAttributeEvent = true
            return
        case .normal:
            break
        }
        if try resolveLocalActivityFromHistory(event, context: context) { return }
        guard let entry = context.outbox.popFirst() else {
            throw NonDeterminismError(
                "history event \(event.eventID) \(HistoryEventKind.describe(event)) has no matching command: "
                    + "the workflow produced no further command\(Self.waitingLocalActivities(context))")
        }
        if let mismatch = HistoryEventKind.mismatch(event: event, command: entry.command) {
            throw NonDeterminismError(
                "history event \(event.eventID) \(HistoryEventKind.describe(event)) does not match command "
                    + "\(HistoryEventKind.describe(entry.command)): \(mismatch)")
        }
        entry.onMatched(event)
    }

    private enum PatchMarkerOutcome { case normal, skipEvent }

    /// sdk-core's rules for patch markers among command events: a deprecated marker no command
    /// asks for is skipped (with its search-attribute upsert); a non-deprecated one is
    /// non-determinism; a patch command facing any other event is dropped (with its upsert).
    private func patchMarkerHandling(_ event: Temporal_Api_History_V1_HistoryEvent, context: WorkflowContext) throws
        -> PatchMarkerOutcome
    {
        let marker = PatchMarker(event: event)
        while marker == nil, let head = context.outbox.entries.first, let expected = PatchMarker(command: head.command)
        {
            _ = context.outbox.drop(key: head.key)
            _ = context.outbox.drop(key: "patch-search-attribute:\(expected.id)")
        }
        guard let marker else { return .normal }
        if let head = context.outbox.entries.first, let expected = PatchMarker(command: head.command) {
            return expected.id != marker.id && marker.deprecated ? .skipEvent : .normal
        }
        if marker.deprecated { return .skipEvent }
        throw NonDeterminismError(
            "history event \(event.eventID) \(HistoryEventKind.describe(event)) is a patch marker for change "
                + "\"\(marker.id)\" but the workflow did not call patched(\"\(marker.id)\") here: a run that took the "
                + "new path must keep calling it (or deprecatePatch) at this point")
    }

    private func ensureAllCommandsMatched(before event: Temporal_Api_History_V1_HistoryEvent) throws {
        matchingCommands = false
        guard let context, let first = context.outbox.entries.first else { return }
        throw NonDeterminismError(
            "workflow produced command \(HistoryEventKind.describe(first.command)) but history has "
                + "\(HistoryEventKind.describe(event)) at event \(event.eventID) instead of a matching event")
    }

    // MARK: queries and eviction

    func answerQuery(
        name: String, arguments: WorkflowArguments, liveActivities: [String: LiveActivityAttempt] = [:]
    ) throws -> Temporal_Api_Common_V1_Payload {
        guard let context else { throw QueryFailure(message: "workflow has not started") }
        executor.beginDriving()
        defer { executor.endDriving() }
        return try context.answerQuery(name: name, arguments: arguments, liveActivities: liveActivities)
    }

    /// Stops the run: wakes every waiter with CancellationError and lets the code unwind.
    /// Code that swallows cancellation and waits again is abandoned (bounded by `maxJobs`).
    func evict() {
        isEvicted = true
        guard let context else { return }
        executor.beginDriving()
        defer { executor.endDriving() }
        context.evicted = true
        rootTask?.cancel()
        for activity in context.activities.values { activity.slot.resolve(.failure(CancellationError())) }
        for activity in context.localActivities.values { activity.slot.resolve(.failure(CancellationError())) }
        for timer in context.timers.values { timer.slot.resolve(.failure(CancellationError())) }
        for waiter in context.conditions { waiter.slot.resolve(.failure(CancellationError())) }
        context.conditions.removeAll()
        executor.runUntilIdle(maxJobs: 10_000)
    }
}

extension WorkflowContext {
    /// Records how the workflow function ended and emits the matching close command.
    func finish(_ result: Result<Temporal_Api_Common_V1_Payload, any Error>) {
        guard completion == nil, !evicted else { return }
        completion = result
        var command = Temporal_Api_Command_V1_Command()
        switch result {
        case .success(let payload):
            var attributes = Temporal_Api_Command_V1_CompleteWorkflowExecutionCommandAttributes()
            attributes.result.payloads = [payload]
            command.commandType = .completeWorkflowExecution
            command.completeWorkflowExecutionCommandAttributes = attributes
        case .failure(let error as WorkflowTaskFailure):
            taskFailure = error
            return
        case .failure(let error as NonDeterminismError):
            taskFailure = error
            return
        case .failure(let request as ContinueAsNewRequest):
            command = request.command(info: info)
        case .failure(let error) where error is CancellationError && cancelRequested:
            command.commandType = .cancelWorkflowExecution
            command.cancelWorkflowExecutionCommandAttributes =
                Temporal_Api_Command_V1_CancelWorkflowExecutionCommandAttributes()
        case .failure(let error):
            var attributes = Temporal_Api_Command_V1_FailWorkflowExecutionCommandAttributes()
            attributes.failure = FailureConverter.failure(from: error)
            command.commandType = .failWorkflowExecution
            command.failWorkflowExecutionCommandAttributes = attributes
        }
        outbox.append(key: "close", command)
    }
}
