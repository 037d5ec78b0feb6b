import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs one activity task and reports its outcome: completed, failed (ApplicationFailure or any
/// Swift error as a retryable failure named after its type), or cancelled.
final class ActivityTaskHandler: Sendable {
    let shared: WorkerSharedState

    init(shared: WorkerSharedState) { self.shared = shared }

    /// Runs the task and reports its outcome; the caller's activity slot is released when it ends.
    /// Shutdown waits for this whole method, the response included (see `InFlightActivities`).
    func handle(_ task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse) async {
        shared.inFlightActivities.handlingStarted()
        defer { shared.inFlightActivities.handlingEnded() }
        shared.metrics.activitySlots.taken()
        defer { shared.metrics.activitySlots.freed() }
        shared.count { $0.activityTasks += 1 }
        shared.activityTaskFigures.taskStarted()
        let info = ActivityInfo(task: task, taskQueue: shared.taskQueue)
        let series = shared.metrics.activity(info.activityType, workflowType: info.workflowType)
        if task.hasStartedTime {
            let scheduled = task.hasCurrentAttemptScheduledTime ? task.currentAttemptScheduledTime : task.scheduledTime
            series.scheduleToStartLatency.record(
                seconds: task.startedTime.timeIntervalSince1970 - scheduled.timeIntervalSince1970)
        }
        let heartbeater = ActivityHeartbeater(heartbeatTimeout: info.heartbeatTimeout, logger: shared.logger) {
            [shared] details in
            var request = Temporal_Api_Workflowservice_V1_RecordActivityTaskHeartbeatRequest()
            request.taskToken = task.taskToken
            request.details.payloads = details
            request.identity = shared.identity
            request.namespace = shared.namespace
            let response = try await shared.service.recordActivityTaskHeartbeat(
                request, timeout: .seconds(10), retry: .default)
            return response.cancelRequested
        }
        let context = ActivityContext(info: info, logger: shared.logger, heartbeater: heartbeater)
        let started = ContinuousClock.now
        let outcome = await execute(task, info: info, context: context, heartbeater: heartbeater)
        heartbeater.stop()
        series.executionLatency.record(ContinuousClock.now - started)
        let failed: Bool
        if case .failure(let error) = outcome.result {
            failed = !(error is CancellationError && heartbeater.cancelRequested)
        } else {
            failed = false
        }
        if failed { series.executionFailed.increment() }
        defer { shared.activityTaskFigures.taskEnded(failed: failed) }
        if heartbeater.isTaskGone {
            context.logger.info("activity stopped: the server no longer has this task; nothing to report")
            return
        }
        if outcome.deadlinePassed, case .failure(let error) = outcome.result, error is CancellationError {
            // The deadline comes from the server's own times: it is timing this attempt out, and
            // its timeout (with retry) is the record. A response now would only race that timer.
            context.logger.info(
                "activity stopped at its deadline (start-to-close or schedule-to-close); the server times it out")
            return
        }
        if Task.isCancelled {
            // A stop cancelled this task along with the code (see ActivityAttempt.runInCallingTask).
            let result = outcome.result
            await Task { await respond(task, outcome: result, heartbeater: heartbeater, logger: context.logger) }.value
        } else {
            await respond(task, outcome: outcome.result, heartbeater: heartbeater, logger: context.logger)
        }
    }

    private func execute(
        _ task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse, info: ActivityInfo,
        context: ActivityContext, heartbeater: ActivityHeartbeater
    ) async -> ActivityAttempt.Outcome {
        guard let definition = shared.activities[info.activityType] else {
            return ActivityAttempt.Outcome(
                result: .failure(
                    ApplicationFailure(
                        type: "NotFoundError",
                        message: "activity type \(info.activityType) is not registered on this worker; registered: "
                            + "[\(shared.activities.keys.sorted().joined(separator: " "))]")),
                deadlinePassed: false)
        }
        return await ActivityAttempt.runInCallingTask(
            definition, arguments: WorkflowArguments(task.input.payloads), context: context, heartbeater: heartbeater,
            shared: shared)
    }

    private func respond(
        _ task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse,
        outcome: Result<Temporal_Api_Common_V1_Payload, any Error>,
        heartbeater: ActivityHeartbeater, logger: Logger
    ) async {
        do {
            switch outcome {
            case .success(let payload):
                var request = Temporal_Api_Workflowservice_V1_RespondActivityTaskCompletedRequest()
                request.taskToken = task.taskToken
                request.result.payloads = [payload]
                request.identity = shared.identity
                request.namespace = shared.namespace
                _ = try await shared.service.respondActivityTaskCompleted(
                    request, timeout: .seconds(30), retry: .default)
            case .failure(let error) where error is CancellationError && heartbeater.cancelRequested:
                var request = Temporal_Api_Workflowservice_V1_RespondActivityTaskCanceledRequest()
                request.taskToken = task.taskToken
                request.identity = shared.identity
                request.namespace = shared.namespace
                request.details.payloads = heartbeater.lastDetails
                _ = try await shared.service.respondActivityTaskCanceled(
                    request, timeout: .seconds(30), retry: .default)
            case .failure(var error):
                if error is CancellationError && shared.inFlightActivities.isShuttingDown {
                    error = ApplicationFailure(type: "WorkerShutdown", message: "worker is shutting down")
                }
                logger.info("activity failed", metadata: ["error": "\(error)"])
                var request = Temporal_Api_Workflowservice_V1_RespondActivityTaskFailedRequest()
                request.taskToken = task.taskToken
                request.failure = ActivityFailureReport.failure(from: error)
                request.identity = shared.identity
                request.namespace = shared.namespace
                request.lastHeartbeatDetails.payloads = heartbeater.lastDetails
                _ = try await shared.service.respondActivityTaskFailed(
                    request, timeout: .seconds(30), retry: .default)
            }
        } catch let error as TemporalRPCError where error.code == .notFound {
            logger.info(
                "activity task no longer exists (timed out or cancelled)", metadata: ["error": "\(error.message)"])
        } catch {
            logger.warning("cannot report activity result", metadata: ["error": "\(error)"])
        }
    }
}
