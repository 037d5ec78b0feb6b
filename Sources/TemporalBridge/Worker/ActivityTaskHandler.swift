import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs one activity task and reports its outcome: completed, failed (ApplicationFailure or any
/// Swift error as a retryable failure named after its type), or cancelled.
final class ActivityTaskHandler: Sendable {
    let core: WorkerCore

    init(core: WorkerCore) { self.core = core }

    /// Runs the task; the caller's activity slot is released when it ends.
    func handle(_ task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse) async {
        core.metrics.activitySlots.taken()
        defer { core.metrics.activitySlots.freed() }
        core.count { $0.activityTasks += 1 }
        core.activityTaskFigures.taskStarted()
        let info = ActivityInfo(task: task, taskQueue: core.taskQueue)
        let series = core.metrics.activity(info.activityType, workflowType: info.workflowType)
        if task.hasStartedTime {
            let scheduled = task.hasCurrentAttemptScheduledTime ? task.currentAttemptScheduledTime : task.scheduledTime
            series.scheduleToStartLatency.record(
                seconds: task.startedTime.timeIntervalSince1970 - scheduled.timeIntervalSince1970)
        }
        let heartbeater = ActivityHeartbeater(heartbeatTimeout: info.heartbeatTimeout, logger: core.logger) {
            [core] details in
            var request = Temporal_Api_Workflowservice_V1_RecordActivityTaskHeartbeatRequest()
            request.taskToken = task.taskToken
            request.details.payloads = details
            request.identity = core.identity
            request.namespace = core.namespace
            let response: Temporal_Api_Workflowservice_V1_RecordActivityTaskHeartbeatResponse =
                try await core.connection.unary("RecordActivityTaskHeartbeat", request, timeout: .seconds(10))
            return response.cancelRequested
        }
        let context = ActivityContext(info: info, logger: core.logger, heartbeater: heartbeater)
        let started = ContinuousClock.now
        let outcome = await execute(task, info: info, context: context, heartbeater: heartbeater)
        heartbeater.stop()
        series.executionLatency.record(ContinuousClock.now - started)
        let failed: Bool
        if case .failure(let error) = outcome {
            failed = !(error is CancellationError && heartbeater.cancelRequested)
        } else {
            failed = false
        }
        if failed { series.executionFailed.increment() }
        await respond(task, outcome: outcome, heartbeater: heartbeater, logger: context.logger)
        core.activityTaskFigures.taskEnded(failed: failed)
    }

    private func execute(
        _ task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse, info: ActivityInfo,
        context: ActivityContext, heartbeater: ActivityHeartbeater
    ) async
        -> Result<Temporal_Api_Common_V1_Payload, any Error>
    {
        guard let definition = core.activities[info.activityType] else {
            return .failure(
                ApplicationFailure(
                    type: "NotFoundError",
                    message: "activity type \(info.activityType) is not registered on this worker; registered: "
                        + "[\(core.activities.keys.sorted().joined(separator: " "))]"))
        }
        let arguments = WorkflowArguments(task.input.payloads)
        let work = Task {
            try await ActivityContext.$current.withValue(context) {
                try await definition.run(arguments, context)
            }
        }
        heartbeater.onCancelRequested { work.cancel() }
        // Past its deadline the server has given up on this attempt: stop the code too.
        let deadlineWatch = info.deadline.map { deadline in
            Task {
                try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                if !Task.isCancelled { work.cancel() }
            }
        }
        let tracker = Task { _ = await work.result }
        let id = core.inFlightActivities.add(task: tracker) { work.cancel() }
        let result = await work.result
        core.inFlightActivities.remove(id)
        deadlineWatch?.cancel()
        return result
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
                request.identity = core.identity
                request.namespace = core.namespace
                let _: Temporal_Api_Workflowservice_V1_RespondActivityTaskCompletedResponse =
                    try await core.connection.unary("RespondActivityTaskCompleted", request, timeout: .seconds(30))
            case .failure(let error) where error is CancellationError && heartbeater.cancelRequested:
                var request = Temporal_Api_Workflowservice_V1_RespondActivityTaskCanceledRequest()
                request.taskToken = task.taskToken
                request.identity = core.identity
                request.namespace = core.namespace
                request.details.payloads = heartbeater.lastDetails
                let _: Temporal_Api_Workflowservice_V1_RespondActivityTaskCanceledResponse =
                    try await core.connection.unary("RespondActivityTaskCanceled", request, timeout: .seconds(30))
            case .failure(var error):
                if error is CancellationError && core.inFlightActivities.isShuttingDown {
                    error = ApplicationFailure(type: "WorkerShutdown", message: "worker is shutting down")
                }
                logger.info("activity failed", metadata: ["error": "\(error)"])
                var request = Temporal_Api_Workflowservice_V1_RespondActivityTaskFailedRequest()
                request.taskToken = task.taskToken
                request.failure = FailureConverter.failure(from: error)
                request.identity = core.identity
                request.namespace = core.namespace
                request.lastHeartbeatDetails.payloads = heartbeater.lastDetails
                let _: Temporal_Api_Workflowservice_V1_RespondActivityTaskFailedResponse =
                    try await core.connection.unary("RespondActivityTaskFailed", request, timeout: .seconds(30))
            }
        } catch let error as TemporalRPCError where error.code == .notFound {
            logger.info(
                "activity task no longer exists (timed out or cancelled)", metadata: ["error": "\(error.message)"])
        } catch {
            logger.warning("cannot report activity result", metadata: ["error": "\(error)"])
        }
    }
}
