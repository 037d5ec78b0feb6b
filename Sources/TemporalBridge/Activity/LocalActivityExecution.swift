import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs one local activity for the live workflow task that asked for it, as sdk-core's local
/// activity manager does: attempt after attempt on this worker (the registered activity's body,
/// on the same executor as activity tasks), each bounded by start-to-close and all by
/// schedule-to-close; a retry waits inside the task when its backoff is at most the local retry
/// threshold, and otherwise ends the series with a `backoff` outcome (the workflow then records
/// the failure, sleeps on a durable timer and schedules the next attempt).
enum LocalActivityExecution {
    /// Nil when the worker stopped it (the task was cancelled: eviction, shutdown, the workflow
    /// no longer waiting): nothing is recorded then.
    static func run(_ request: LocalActivityRequest, shared: WorkerSharedState) async -> LocalActivityOutcome? {
        let retry = LocalActivityRetry(request.options.retryPolicy)
        var attempt = max(1, request.attempt)
        while !Task.isCancelled {
            let closeDeadline = request.options.scheduleToCloseTimeout.map {
                request.originalScheduleTime.addingTimeInterval($0.timeInterval)
            }
            if let closeDeadline, closeDeadline <= Date() {
                return .failed(timeoutFailure(.scheduleToClose), attempt: attempt)
            }
            let result = await runAttempt(request, attempt: attempt, closeDeadline: closeDeadline, shared: shared)
            let failure: Temporal_Api_Failure_V1_Failure
            switch result {
            case .success(let payload): return .completed(payload, attempt: attempt)
            case .failure(.stopped): return nil
            case .failure(.timedOut(let kind)):
                failure = timeoutFailure(kind)
                // Only start-to-close is retried, as in sdk-core.
                if kind != .startToClose { return .failed(failure, attempt: attempt) }
            case .failure(.failed(let reported)):
                failure = reported
            }
            guard let delay = retry.backoff(afterAttempt: attempt, failure: failure) else {
                return .failed(failure, attempt: attempt)
            }
            if delay > request.options.localRetryThreshold {
                return .backoff(failure, attempt: attempt, backoff: delay)
            }
            if let closeDeadline, closeDeadline.timeIntervalSinceNow <= delay.timeInterval {
                return .failed(timeoutFailure(.scheduleToClose), attempt: attempt)
            }
            shared.logger.debug(
                "local activity failed, retrying in the workflow task",
                metadata: [
                    "activity_type": "\(request.activityType)", "attempt": "\(attempt)",
                    "backoff_ms": "\(delay.milliseconds)", "workflow_id": "\(request.workflow.workflowId)",
                ])
            do { try await Task.sleep(for: delay) } catch { return nil }
            attempt += 1
        }
        return nil
    }

    private enum AttemptError: Error {
        case failed(Temporal_Api_Failure_V1_Failure)
        case timedOut(Temporal_Api_Enums_V1_TimeoutType)
        case stopped
    }

    private static func runAttempt(
        _ request: LocalActivityRequest, attempt: Int, closeDeadline: Date?, shared: WorkerSharedState
    ) async -> Result<Temporal_Api_Common_V1_Payload, AttemptError> {
        guard let definition = shared.activities[request.activityType] else {
            return .failure(
                .failed(
                    ActivityFailureReport.failure(
                        from: ApplicationFailure(
                            type: "NotFoundError",
                            message: "activity type \(request.activityType) is not registered on this worker; "
                                + "registered: [\(shared.activities.keys.sorted().joined(separator: " "))]"))))
        }
        let started = Date()
        // The attempt's limit: start-to-close, or what schedule-to-close leaves if that is less.
        var limit = request.options.attemptTimeout.map { started.addingTimeInterval($0.timeInterval) }
        var limitKind = Temporal_Api_Enums_V1_TimeoutType.startToClose
        if let closeDeadline, limit.map({ closeDeadline < $0 }) ?? true {
            limit = closeDeadline
            limitKind = .scheduleToClose
        }
        let info = ActivityInfo(local: request, attempt: attempt, started: started, deadline: limit)
        let heartbeater = ActivityHeartbeater(heartbeatTimeout: nil, logger: shared.logger) { _ in false }
        let context = ActivityContext(info: info, logger: shared.logger, heartbeater: heartbeater)
        let outcome = await ActivityAttempt.runInOwnTask(
            definition, arguments: WorkflowArguments(request.input), context: context, heartbeater: heartbeater,
            shared: shared)
        heartbeater.stop()
        switch outcome.result {
        case .success(let payload): return .success(payload)
        case .failure where outcome.deadlinePassed: return .failure(.timedOut(limitKind))
        case .failure where Task.isCancelled: return .failure(.stopped)
        case .failure(let error):
            shared.logger.debug(
                "local activity attempt failed",
                metadata: [
                    "activity_type": "\(request.activityType)", "attempt": "\(attempt)", "error": "\(error)",
                ])
            return .failure(.failed(ActivityFailureReport.failure(from: error)))
        }
    }

    /// sdk-core's failure of a timed-out local activity.
    static func timeoutFailure(_ kind: Temporal_Api_Enums_V1_TimeoutType) -> Temporal_Api_Failure_V1_Failure {
        var failure = Temporal_Api_Failure_V1_Failure()
        failure.message = "Activity timed out"
        failure.source = FailureConverter.source
        var info = Temporal_Api_Failure_V1_TimeoutFailureInfo()
        info.timeoutType = kind
        failure.timeoutFailureInfo = info
        return failure
    }
}

extension ActivityInfo {
    /// The info a local activity's body sees: no task behind it, the attempt counted here.
    init(local request: LocalActivityRequest, attempt: Int, started: Date, deadline: Date?) {
        workflowNamespace = request.workflow.namespace
        workflowId = request.workflow.workflowId
        runId = request.workflow.runId
        workflowType = request.workflow.workflowType
        activityId = request.activityId
        activityType = request.activityType
        taskQueue = request.workflow.taskQueue
        self.attempt = attempt
        scheduledTime = request.originalScheduleTime
        startedTime = started
        self.deadline = deadline
        heartbeatTimeout = nil
        heartbeatDetails = WorkflowArguments([])
    }
}
