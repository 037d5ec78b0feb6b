import SwiftProtobuf

/// One activity invocation of the workflow, from its ScheduleActivityTask command to its end.
final class PendingActivity: @unchecked Sendable {
    let seq: Int
    let activityId: String
    let activityType: String
    let cancellationType: ActivityCancellationType
    /// From the retry policy; 0 = unlimited (or the server's default policy).
    let maximumAttempts: Int
    /// Where the workflow awaits it (for the stack trace).
    let site: WaitSite
    let slot = ResumeSlot<Temporal_Api_Common_V1_Payload?>()
    var scheduledEventId: Int64?
    /// From ActivityTaskStarted, which the server writes only when the attempt ends; 1 until then.
    var attempt = 1

    init(seq: Int, activityType: String, options: ActivityOptions, site: WaitSite) {
        self.seq = seq
        self.activityId = String(seq)
        self.activityType = activityType
        self.cancellationType = options.cancellationType
        self.maximumAttempts = options.retryPolicy?.maximumAttempts ?? 0
        self.site = site
    }

    var outboxKey: String { "activity:\(seq)" }
}

/// What the workflow can learn about its activities while they run (for status queries).
public struct ActivityStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable { case scheduled, started, completed, failed, canceled }
    public var activityType: String
    public var activityId: String
    /// The attempt from the ActivityTaskStarted event when history has it, else 1: the server
    /// writes that event only when an attempt ends, so a running retry is not visible earlier.
    public var attempt: Int
    /// From the activity's retry policy; 0 = unlimited.
    public var maximumAttempts: Int
    public var state: State
}

extension WorkflowContext {
    /// Queues the ScheduleActivityTask command; `result(of:)` waits for the activity.
    func scheduleActivity(
        type: String, input: [Temporal_Api_Common_V1_Payload],
        options: ActivityOptions, summary: String?, site: WaitSite
    ) throws -> PendingActivity {
        try checkCanStartOperation()
        let seq = nextActivitySeq
        nextActivitySeq += 1
        let activity = PendingActivity(seq: seq, activityType: type, options: options, site: site)
        var command = scheduleCommand(for: activity, input: input, options: options)
        if let summary { command.userMetadata.summary = try WorkflowPayloads.encode(summary) }
        activities[seq] = activity
        outbox.append(key: activity.outboxKey, command) {
            [self] event in
            activity.scheduledEventId = event.eventID
            activitySeqByScheduledEventId[event.eventID] = seq
        }
        notify(activity, .scheduled)
        return activity
    }

    /// Waits for a scheduled activity's result; cancelling the waiting task cancels the activity.
    /// Inlined into `Workflow.executeActivity`: one async frame fewer per waiting run.
    @inline(__always)
    func result(of activity: PendingActivity) async throws -> Temporal_Api_Common_V1_Payload? {
        defer { activities[activity.seq] = nil }
        return try await withTaskCancellationHandler {
            try await activity.slot.wait()
        } onCancel: { [self] in
            cancelActivity(activity)
        }
    }

    private func scheduleCommand(
        for activity: PendingActivity, input: [Temporal_Api_Common_V1_Payload],
        options: ActivityOptions
    ) -> Temporal_Api_Command_V1_Command {
        var attributes = Temporal_Api_Command_V1_ScheduleActivityTaskCommandAttributes()
        attributes.activityID = activity.activityId
        attributes.activityType.name = activity.activityType
        attributes.taskQueue.name = options.taskQueue ?? info.taskQueue
        attributes.taskQueue.kind = .normal
        var payloads = Temporal_Api_Common_V1_Payloads()
        payloads.payloads = input
        attributes.input = payloads
        if let value = options.scheduleToCloseTimeout { attributes.scheduleToCloseTimeout = .init(rounding: value) }
        if let value = options.scheduleToStartTimeout { attributes.scheduleToStartTimeout = .init(rounding: value) }
        if let value = options.startToCloseTimeout { attributes.startToCloseTimeout = .init(rounding: value) }
        if let value = options.heartbeatTimeout { attributes.heartbeatTimeout = .init(rounding: value) }
        if let policy = options.retryPolicy { attributes.retryPolicy = policy.proto }
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .scheduleActivityTask
        command.scheduleActivityTaskCommandAttributes = attributes
        return command
    }

    /// Called from the cancellation handler of the awaiting task (on the driving thread).
    func cancelActivity(_ activity: PendingActivity) {
        guard !activity.slot.isResolved, !evicted else { return }
        if outbox.drop(key: activity.outboxKey) {
            // Never sent: nothing to cancel on the server.
            activity.slot.resolve(.failure(CancellationError()))
            notify(activity, .canceled)
            return
        }
        switch activity.cancellationType {
        case .abandon:
            activity.slot.resolve(.failure(CancellationError()))
            notify(activity, .canceled)
        case .tryCancel, .waitCancellationCompleted:
            guard let scheduledEventId = activity.scheduledEventId else { return }
            var attributes = Temporal_Api_Command_V1_RequestCancelActivityTaskCommandAttributes()
            attributes.scheduledEventID = scheduledEventId
            var command = Temporal_Api_Command_V1_Command()
            command.commandType = .requestCancelActivityTask
            command.requestCancelActivityTaskCommandAttributes = attributes
            outbox.append(key: "cancel-activity:\(activity.seq)", command)
            if activity.cancellationType == .tryCancel {
                activity.slot.resolve(.failure(CancellationError()))
                notify(activity, .canceled)
            }
        }
    }

    // MARK: history events

    func activity(scheduledEventId: Int64) -> PendingActivity? {
        activitySeqByScheduledEventId[scheduledEventId].flatMap { activities[$0] }
    }

    func activityStarted(_ attributes: Temporal_Api_History_V1_ActivityTaskStartedEventAttributes) {
        guard let activity = activity(scheduledEventId: attributes.scheduledEventID) else { return }
        activity.attempt = Int(max(1, attributes.attempt))
        notify(activity, .started)
    }

    func activityCompleted(_ attributes: Temporal_Api_History_V1_ActivityTaskCompletedEventAttributes) {
        guard let activity = activity(scheduledEventId: attributes.scheduledEventID) else { return }
        notify(activity, .completed)
        activity.slot.resolve(.success(attributes.result.payloads.first))
    }

    func activityFailed(
        scheduledEventId: Int64, failure: Temporal_Api_Failure_V1_Failure,
        retryState: Temporal_Api_Enums_V1_RetryState
    ) {
        guard let activity = activity(scheduledEventId: scheduledEventId) else { return }
        notify(activity, .failed)
        let error = ActivityFailure(
            activityType: activity.activityType, activityId: activity.activityId,
            retryState: FailureConverter.retryStateName(retryState),
            cause: FailureConverter.activityCause(from: failure))
        activity.slot.resolve(.failure(error))
    }

    func activityCanceled(scheduledEventId: Int64) {
        guard let activity = activity(scheduledEventId: scheduledEventId) else { return }
        notify(activity, .canceled)
        activity.slot.resolve(.failure(CancellationError()))
    }

    private func notify(_ activity: PendingActivity, _ state: ActivityStatus.State) {
        guard !activityObservers.isEmpty else { return }
        let status = ActivityStatus(
            activityType: activity.activityType, activityId: activity.activityId,
            attempt: activity.attempt, maximumAttempts: activity.maximumAttempts, state: state)
        // History events arrive outside workflow code: make the Workflow API reachable from observers.
        withCurrent {
            for observer in activityObservers { observer(status) }
        }
    }
}

extension RetryPolicy {
    var proto: Temporal_Api_Common_V1_RetryPolicy {
        var policy = Temporal_Api_Common_V1_RetryPolicy()
        if let value = initialInterval { policy.initialInterval = .init(rounding: value) }
        if let value = backoffCoefficient { policy.backoffCoefficient = value }
        if let value = maximumInterval { policy.maximumInterval = .init(rounding: value) }
        policy.maximumAttempts = Int32(maximumAttempts)
        policy.nonRetryableErrorTypes = nonRetryableErrorTypes
        return policy
    }
}
