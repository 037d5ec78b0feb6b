import Foundation
import Logging
import SwiftProtobuf

@testable import TemporalBridge

/// Builds histories the way the server writes them, for driving the runtime without a server.
struct HistoryBuilder {
    private(set) var events: [Temporal_Api_History_V1_HistoryEvent] = []
    private(set) var lastStartedEventId: Int64 = 0
    var time = Date(timeIntervalSince1970: 1_700_000_000)

    var nextId: Int64 { Int64(events.count + 1) }

    @discardableResult
    mutating func add(
        _ type: Temporal_Api_Enums_V1_EventType,
        _ attributes: Temporal_Api_History_V1_HistoryEvent.OneOf_Attributes
    ) -> Int64 {
        var event = Temporal_Api_History_V1_HistoryEvent()
        event.eventID = nextId
        event.eventType = type
        time += 1
        event.eventTime = Google_Protobuf_Timestamp(date: time)
        event.attributes = attributes
        events.append(event)
        return event.eventID
    }

    mutating func started(type: String, input: some Encodable, taskQueue: String = "tq") {
        var attributes = Temporal_Api_History_V1_WorkflowExecutionStartedEventAttributes()
        attributes.workflowType.name = type
        attributes.taskQueue.name = taskQueue
        attributes.input.payloads = [try! WorkflowPayloads.encode(input)]
        attributes.attempt = 1
        add(.workflowExecutionStarted, .workflowExecutionStartedEventAttributes(attributes))
    }

    /// WorkflowTaskScheduled + WorkflowTaskStarted; returns the started id.
    @discardableResult
    mutating func workflowTask() -> Int64 {
        let scheduled = add(.workflowTaskScheduled, .workflowTaskScheduledEventAttributes(.init()))
        var started = Temporal_Api_History_V1_WorkflowTaskStartedEventAttributes()
        started.scheduledEventID = scheduled
        lastStartedEventId = add(.workflowTaskStarted, .workflowTaskStartedEventAttributes(started))
        return lastStartedEventId
    }

    mutating func workflowTaskFailed() {
        var attributes = Temporal_Api_History_V1_WorkflowTaskFailedEventAttributes()
        attributes.startedEventID = lastStartedEventId
        add(.workflowTaskFailed, .workflowTaskFailedEventAttributes(attributes))
    }

    /// WorkflowTaskCompleted followed by the events the server writes for `commands`.
    mutating func completeTask(with commands: [Temporal_Api_Command_V1_Command], coreUsedFlags: [UInt32] = []) {
        var completed = Temporal_Api_History_V1_WorkflowTaskCompletedEventAttributes()
        completed.startedEventID = lastStartedEventId
        completed.sdkMetadata.coreUsedFlags = coreUsedFlags
        add(.workflowTaskCompleted, .workflowTaskCompletedEventAttributes(completed))
        for command in commands {
            switch command.attributes {
            case .scheduleActivityTaskCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_ActivityTaskScheduledEventAttributes()
                a.activityID = c.activityID
                a.activityType = c.activityType
                a.taskQueue = c.taskQueue
                add(.activityTaskScheduled, .activityTaskScheduledEventAttributes(a))
            case .startTimerCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_TimerStartedEventAttributes()
                a.timerID = c.timerID
                add(.timerStarted, .timerStartedEventAttributes(a))
            case .requestCancelActivityTaskCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_ActivityTaskCancelRequestedEventAttributes()
                a.scheduledEventID = c.scheduledEventID
                add(.activityTaskCancelRequested, .activityTaskCancelRequestedEventAttributes(a))
            case .cancelTimerCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_TimerCanceledEventAttributes()
                a.timerID = c.timerID
                add(.timerCanceled, .timerCanceledEventAttributes(a))
            case .completeWorkflowExecutionCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_WorkflowExecutionCompletedEventAttributes()
                a.result = c.result
                add(.workflowExecutionCompleted, .workflowExecutionCompletedEventAttributes(a))
            case .failWorkflowExecutionCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_WorkflowExecutionFailedEventAttributes()
                a.failure = c.failure
                add(.workflowExecutionFailed, .workflowExecutionFailedEventAttributes(a))
            case .cancelWorkflowExecutionCommandAttributes?:
                add(.workflowExecutionCanceled, .workflowExecutionCanceledEventAttributes(.init()))
            case .recordMarkerCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_MarkerRecordedEventAttributes()
                a.markerName = c.markerName
                a.details = c.details
                if c.hasFailure { a.failure = c.failure }
                add(.markerRecorded, .markerRecordedEventAttributes(a))
            case .upsertWorkflowSearchAttributesCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_UpsertWorkflowSearchAttributesEventAttributes()
                a.searchAttributes = c.searchAttributes
                add(.upsertWorkflowSearchAttributes, .upsertWorkflowSearchAttributesEventAttributes(a))
            case .continueAsNewWorkflowExecutionCommandAttributes(let c)?:
                var a = Temporal_Api_History_V1_WorkflowExecutionContinuedAsNewEventAttributes()
                a.workflowType = c.workflowType
                a.taskQueue = c.taskQueue
                a.input = c.input
                add(.workflowExecutionContinuedAsNew, .workflowExecutionContinuedAsNewEventAttributes(a))
            default:
                fatalError("unsupported command \(command)")
            }
        }
    }

    /// Event id of the ActivityTaskScheduled for activity id `activityId`.
    func scheduledEventId(activityId: String) -> Int64 {
        events.first {
            $0.activityTaskScheduledEventAttributes.activityID == activityId && $0.eventType == .activityTaskScheduled
        }!.eventID
    }

    mutating func activityCompleted(_ activityId: String, result: some Encodable, attempt: Int32 = 1) {
        let scheduled = scheduledEventId(activityId: activityId)
        var started = Temporal_Api_History_V1_ActivityTaskStartedEventAttributes()
        started.scheduledEventID = scheduled
        started.attempt = attempt
        let startedId = add(.activityTaskStarted, .activityTaskStartedEventAttributes(started))
        var a = Temporal_Api_History_V1_ActivityTaskCompletedEventAttributes()
        a.scheduledEventID = scheduled
        a.startedEventID = startedId
        a.result.payloads = [try! WorkflowPayloads.encode(result)]
        add(.activityTaskCompleted, .activityTaskCompletedEventAttributes(a))
    }

    mutating func activityFailed(_ activityId: String, type: String, message: String, nonRetryable: Bool) {
        let scheduled = scheduledEventId(activityId: activityId)
        var started = Temporal_Api_History_V1_ActivityTaskStartedEventAttributes()
        started.scheduledEventID = scheduled
        let startedId = add(.activityTaskStarted, .activityTaskStartedEventAttributes(started))
        var a = Temporal_Api_History_V1_ActivityTaskFailedEventAttributes()
        a.scheduledEventID = scheduled
        a.startedEventID = startedId
        a.failure.message = message
        var info = Temporal_Api_Failure_V1_ApplicationFailureInfo()
        info.type = type
        info.nonRetryable = nonRetryable
        a.failure.applicationFailureInfo = info
        a.retryState = nonRetryable ? .nonRetryableFailure : .maximumAttemptsReached
        add(.activityTaskFailed, .activityTaskFailedEventAttributes(a))
    }

    mutating func activityTimedOut(_ activityId: String) {
        var a = Temporal_Api_History_V1_ActivityTaskTimedOutEventAttributes()
        a.scheduledEventID = scheduledEventId(activityId: activityId)
        a.failure.message = "activity StartToClose timeout"
        var info = Temporal_Api_Failure_V1_TimeoutFailureInfo()
        info.timeoutType = .startToClose
        a.failure.timeoutFailureInfo = info
        a.retryState = .timeout
        add(.activityTaskTimedOut, .activityTaskTimedOutEventAttributes(a))
    }

    mutating func activityCanceled(_ activityId: String) {
        var a = Temporal_Api_History_V1_ActivityTaskCanceledEventAttributes()
        a.scheduledEventID = scheduledEventId(activityId: activityId)
        add(.activityTaskCanceled, .activityTaskCanceledEventAttributes(a))
    }

    mutating func timerFired(_ timerId: String) {
        var a = Temporal_Api_History_V1_TimerFiredEventAttributes()
        a.timerID = timerId
        add(.timerFired, .timerFiredEventAttributes(a))
    }

    mutating func signaled(_ name: String, _ payload: (some Encodable)?) {
        var a = Temporal_Api_History_V1_WorkflowExecutionSignaledEventAttributes()
        a.signalName = name
        if let payload { a.input.payloads = [try! WorkflowPayloads.encode(payload)] }
        add(.workflowExecutionSignaled, .workflowExecutionSignaledEventAttributes(a))
    }

    mutating func cancelRequested(reason: String = "test") {
        var a = Temporal_Api_History_V1_WorkflowExecutionCancelRequestedEventAttributes()
        a.cause = reason
        add(.workflowExecutionCancelRequested, .workflowExecutionCancelRequestedEventAttributes(a))
    }

    var history: Temporal_Api_History_V1_History {
        var history = Temporal_Api_History_V1_History()
        history.events = events
        return history
    }
}

/// Drives one run task by task, as a sticky worker would (only new events each time).
struct ScriptedRun {
    var builder = HistoryBuilder()
    let run: WorkflowRun
    private(set) var lastCommands: [Temporal_Api_Command_V1_Command] = []
    /// The internal flags the last task's completion names (as the worker sends them).
    private(set) var lastCoreFlags: [UInt32] = []
    private var appliedCount = 0

    init(_ definition: WorkflowDefinition, input: some Encodable) {
        run = WorkflowRun(
            definition: definition, namespace: "default", workflowId: "wf-1", runId: "run-1",
            logger: Logger(label: "test"))
        builder.started(type: definition.name, input: input)
    }

    /// Completes the previous task with its commands, adds `events`, starts a new task, runs it.
    @discardableResult
    mutating func task(_ events: (inout HistoryBuilder) -> Void = { _ in }) throws -> [Temporal_Api_Command_V1_Command]
    {
        if builder.lastStartedEventId > 0 { builder.completeTask(with: lastCommands, coreUsedFlags: lastCoreFlags) }
        events(&builder)
        let started = builder.workflowTask()
        let newEvents = Array(builder.events[appliedCount...])
        appliedCount = builder.events.count
        lastCommands = try run.apply(events: newEvents, liveStartedEventId: started)
        lastCoreFlags = run.takeCoreFlagsToRecord()
        return lastCommands
    }

    /// The worker's outcome of a local activity of the live task: the task's commands become
    /// what the run holds afterwards.
    @discardableResult
    mutating func resolveLocalActivity(seq: Int, outcome: LocalActivityOutcome, runtime: Duration) throws
        -> [Temporal_Api_Command_V1_Command]
    {
        lastCommands = try run.resolveLocalActivity(seq: seq, outcome: outcome, runtime: runtime)
        return lastCommands
    }

    /// The full history including the close events of the last task's commands.
    func closedHistory() -> Temporal_Api_History_V1_History {
        var copy = builder
        copy.completeTask(with: lastCommands, coreUsedFlags: lastCoreFlags)
        return copy.history
    }
}

extension Temporal_Api_Command_V1_Command {
    var activityType: String? {
        if case .scheduleActivityTaskCommandAttributes(let a)? = attributes { return a.activityType.name }
        return nil
    }

    func decodedResult<T: Decodable>(as type: T.Type) throws -> T {
        try WorkflowPayloads.decode(completeWorkflowExecutionCommandAttributes.result.payloads.first, as: T.self)
    }
}
