#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One attempt series of a local activity: from `Workflow.executeLocalActivity` (or the retry
/// after a backoff timer) to its marker.
final class PendingLocalActivity: @unchecked Sendable {
    enum State {
        /// Scheduled while replaying: resolved by its marker in history, or run once the run
        /// reaches a live task without finding one (sdk-core does the same).
        case waitingForMarker
        /// To be run by the worker handling the live task.
        case requested
        /// The worker runs it.
        case executing
        /// Its marker is recorded (or matched); the workflow has its outcome.
        case resolved
    }

    let seq: Int
    let activityId: String
    let activityType: String
    let input: [Temporal_Api_Common_V1_Payload]
    let options: LocalActivityOptions
    let summary: Temporal_Api_Common_V1_Payload?
    /// The first attempt this series runs (above 1 after a backoff timer).
    let attempt: Int
    /// Wall-clock time of the first schedule, carried across backoffs for schedule-to-close.
    let originalScheduleTime: Date
    /// Workflow time when scheduled: the marker's complete time is this plus the run time.
    let scheduledAt: Date
    let site: WaitSite
    let slot = ResumeSlot<Temporal_Api_Common_V1_Payload?>()
    var state: State

    init(
        seq: Int, activityType: String, input: [Temporal_Api_Common_V1_Payload], options: LocalActivityOptions,
        summary: Temporal_Api_Common_V1_Payload?, attempt: Int, originalScheduleTime: Date, scheduledAt: Date,
        site: WaitSite, state: State
    ) {
        self.seq = seq
        self.activityId = String(seq)
        self.activityType = activityType
        self.input = input
        self.options = options
        self.summary = summary
        self.attempt = attempt
        self.originalScheduleTime = originalScheduleTime
        self.scheduledAt = scheduledAt
        self.site = site
        self.state = state
    }

    var outboxKey: String { "local-activity:\(seq)" }
}

/// What the worker needs to run one local activity.
struct LocalActivityRequest: Sendable {
    var seq: Int
    var activityId: String
    var activityType: String
    var input: [Temporal_Api_Common_V1_Payload]
    var options: LocalActivityOptions
    var attempt: Int
    var originalScheduleTime: Date
    var workflow: WorkflowInfo
}

/// How the worker's run of a local activity ended.
enum LocalActivityOutcome: Sendable {
    case completed(Temporal_Api_Common_V1_Payload, attempt: Int)
    /// Final: not retried (non-retryable, attempts used up, or a timeout).
    case failed(Temporal_Api_Failure_V1_Failure, attempt: Int)
    /// Retried after a durable timer of `backoff`: longer than the local retry threshold.
    case backoff(Temporal_Api_Failure_V1_Failure, attempt: Int, backoff: Duration)
}

/// Raised into workflow code by a marker with a backoff: sleep, then schedule attempt
/// `nextAttempt` as local activity `nextSeq` (sequence drawn when the marker resolved, as the
/// Python SDK draws it).
struct LocalActivityBackoff: Error {
    let duration: Duration
    let nextAttempt: Int
    let originalScheduleTime: Date
    let nextSeq: Int
}

extension WorkflowContext {
    /// Runs a local activity to its end: schedule, wait, and after a marker with a backoff sleep
    /// on a durable timer and schedule the next attempt (as sdk-core's lang SDKs do).
    func executeLocalActivity(
        type: String, input: [Temporal_Api_Common_V1_Payload], options: LocalActivityOptions,
        summary: Temporal_Api_Common_V1_Payload?, site: WaitSite
    ) async throws -> Temporal_Api_Common_V1_Payload? {
        var seq = nextLocalActivitySeq()
        var attempt = 1
        var originalScheduleTime: Date?
        while true {
            let activity = try scheduleLocalActivity(
                seq: seq, type: type, input: input, options: options, summary: summary, attempt: attempt,
                originalScheduleTime: originalScheduleTime, site: site)
            do {
                return try await localResult(of: activity)
            } catch let backoff as LocalActivityBackoff {
                try await sleep(for: backoff.duration, summary: nil, site: site)
                seq = backoff.nextSeq
                attempt = backoff.nextAttempt
                originalScheduleTime = backoff.originalScheduleTime
            }
        }
    }

    /// Local and remote activities draw from one sequence, as in sdk-core's lang SDKs: a local
    /// activity's id is its sequence number.
    private func nextLocalActivitySeq() -> Int {
        defer { nextActivitySeq += 1 }
        return nextActivitySeq
    }

    @inline(never)
    private func scheduleLocalActivity(
        seq: Int, type: String, input: [Temporal_Api_Common_V1_Payload], options: LocalActivityOptions,
        summary: Temporal_Api_Common_V1_Payload?, attempt: Int, originalScheduleTime: Date?, site: WaitSite
    ) throws -> PendingLocalActivity {
        try checkCanStartOperation()
        guard options.startToCloseTimeout != nil || options.scheduleToCloseTimeout != nil else {
            throw WorkflowTaskFailure(
                "local activity \(type) needs a startToCloseTimeout or a scheduleToCloseTimeout in its options")
        }
        let activity = PendingLocalActivity(
            seq: seq, activityType: type, input: input, options: options, summary: summary, attempt: attempt,
            // Wall-clock, like sdk-core: it only bounds execution and is recorded in the marker.
            originalScheduleTime: originalScheduleTime ?? Date(), scheduledAt: now, site: site,
            state: isReplaying ? .waitingForMarker : .requested)
        localActivities[seq] = activity
        notifyLocal(activity, .scheduled, attempt: attempt)
        return activity
    }

    private func localResult(of activity: PendingLocalActivity) async throws -> Temporal_Api_Common_V1_Payload? {
        defer { localActivities[activity.seq] = nil }
        return try await withTaskCancellationHandler {
            try await activity.slot.wait()
        } onCancel: { [self] in
            cancelLocalActivity(activity)
        }
    }

    /// sdk-core's try-cancel: a live local activity resolves at once as cancelled and records a
    /// marker saying so (its running attempt is stopped by the worker); one waiting for its marker
    /// during replay keeps waiting, since history says how it ended.
    func cancelLocalActivity(_ activity: PendingLocalActivity) {
        guard !evicted, !activity.slot.isResolved else { return }
        switch activity.state {
        case .waitingForMarker, .resolved:
            return
        case .requested, .executing:
            if activity.state == .executing { localActivityCancels.append(activity.seq) }
            var canceled = Temporal_Api_Failure_V1_Failure()
            canceled.message = "Activity cancelled"
            canceled.source = FailureConverter.source
            canceled.canceledFailureInfo = Temporal_Api_Failure_V1_CanceledFailureInfo()
            let marker = LocalActivityMarker(
                seq: activity.seq, attempt: activity.attempt, activityId: activity.activityId,
                activityType: activity.activityType, completeTime: nil, backoff: nil,
                originalScheduleTime: activity.originalScheduleTime, result: nil, failure: canceled)
            outbox.append(key: activity.outboxKey, marker.command(summary: activity.summary))
            resolve(activity, with: marker)
        }
    }

    // MARK: the worker's side

    /// At a live task: local activities scheduled during replay that history has no marker for
    /// are run now (sdk-core's StartedNonReplayWFT).
    func localActivitiesGoLive() {
        for activity in localActivities.values where activity.state == .waitingForMarker {
            activity.state = .requested
        }
    }

    /// The local activities to start running, in sequence order; they count as executing from now.
    func takeLocalActivityRequests() -> [LocalActivityRequest] {
        let requested = localActivities.values.filter { $0.state == .requested }.sorted { $0.seq < $1.seq }
        return requested.map { activity in
            activity.state = .executing
            return LocalActivityRequest(
                seq: activity.seq, activityId: activity.activityId, activityType: activity.activityType,
                input: activity.input, options: activity.options, attempt: activity.attempt,
                originalScheduleTime: activity.originalScheduleTime, workflow: info)
        }
    }

    /// Executing local activities the workflow stopped waiting for: the worker cancels them.
    func takeLocalActivityCancels() -> [Int] {
        defer { localActivityCancels.removeAll() }
        return localActivityCancels
    }

    /// True while a local activity is being run (or is to be run) by the worker.
    var hasRunningLocalActivities: Bool {
        localActivities.values.contains { $0.state == .requested || $0.state == .executing }
    }

    /// The worker's outcome of local activity `seq`: records its marker and resumes the workflow.
    /// `runtime` is how long it ran; the marker's complete time is its workflow time at schedule
    /// plus that (sdk-core's "perceived completion time").
    func resolveLocalActivity(seq: Int, outcome: LocalActivityOutcome, runtime: Duration) {
        guard let activity = localActivities[seq], activity.state == .executing else { return }
        var marker = LocalActivityMarker(
            seq: seq, attempt: activity.attempt, activityId: activity.activityId, activityType: activity.activityType,
            completeTime: activity.scheduledAt.addingTimeInterval(runtime.timeInterval), backoff: nil,
            originalScheduleTime: activity.originalScheduleTime, result: nil, failure: nil)
        switch outcome {
        case .completed(let payload, let attempt):
            marker.attempt = attempt
            marker.result = payload
        case .failed(let failure, let attempt):
            marker.attempt = attempt
            marker.failure = failure
        case .backoff(let failure, let attempt, let backoff):
            marker.attempt = attempt
            marker.failure = failure
            marker.backoff = backoff
        }
        outbox.append(key: activity.outboxKey, marker.command(summary: activity.summary))
        resolve(activity, with: marker)
    }

    // MARK: replay

    /// The local activity waiting for `marker`, or nil when none is.
    func localActivityWaiting(for marker: LocalActivityMarker) -> PendingLocalActivity? {
        guard let activity = localActivities[marker.seq], activity.state == .waitingForMarker else { return nil }
        return activity
    }

    /// Resumes the workflow with what the marker recorded (which its code must not re-run).
    func resolve(_ activity: PendingLocalActivity, with marker: LocalActivityMarker) {
        activity.state = .resolved
        if let completeTime = marker.completeTime, completeTime > now { now = completeTime }
        guard let failure = marker.failure else {
            notifyLocal(activity, .completed, attempt: marker.attempt)
            activity.slot.resolve(.success(marker.result))
            return
        }
        if let backoff = marker.backoff {
            notifyLocal(activity, .started, attempt: marker.attempt)
            activity.slot.resolve(
                .failure(
                    LocalActivityBackoff(
                        duration: backoff, nextAttempt: marker.attempt + 1,
                        originalScheduleTime: marker.originalScheduleTime ?? activity.originalScheduleTime,
                        nextSeq: nextLocalActivitySeq())))
            return
        }
        if Self.isCancellation(failure) {
            notifyLocal(activity, .canceled, attempt: marker.attempt)
            activity.slot.resolve(.failure(CancellationError()))
            return
        }
        notifyLocal(activity, .failed, attempt: marker.attempt)
        activity.slot.resolve(
            .failure(
                ActivityFailure(
                    activityType: activity.activityType, activityId: activity.activityId,
                    retryState: Self.retryState(of: failure),
                    cause: FailureConverter.activityCause(from: failure))))
    }

    private static func isCancellation(_ failure: Temporal_Api_Failure_V1_Failure) -> Bool {
        if case .canceledFailureInfo? = failure.failureInfo { return true }
        if failure.hasCause, case .canceledFailureInfo? = failure.cause.failureInfo { return true }
        return false
    }

    /// Decided from the marker alone, so replay gives the workflow the same error.
    private static func retryState(of failure: Temporal_Api_Failure_V1_Failure) -> String {
        switch failure.failureInfo {
        case .applicationFailureInfo(let info)? where info.nonRetryable: return "NON_RETRYABLE_FAILURE"
        case .timeoutFailureInfo?: return "TIMEOUT"
        default:
            if failure.hasCause, case .timeoutFailureInfo? = failure.cause.failureInfo { return "TIMEOUT" }
            return "MAXIMUM_ATTEMPTS_REACHED"
        }
    }

    private func notifyLocal(_ activity: PendingLocalActivity, _ state: ActivityStatus.State, attempt: Int) {
        guard !activityObservers.isEmpty else { return }
        let status = ActivityStatus(
            activityType: activity.activityType, activityId: activity.activityId, attempt: attempt,
            maximumAttempts: activity.options.retryPolicy?.maximumAttempts ?? 0, state: state)
        withCurrent {
            for observer in activityObservers { observer(status) }
        }
    }
}

extension Duration {
    /// Seconds as a Double (for Date arithmetic).
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
