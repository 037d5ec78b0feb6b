/// One attempt of an activity's code, stoppable apart from what reports its outcome: at the attempt's deadline
/// (the server gives up on it then), when the server asks for cancellation (a heartbeat's answer), when
/// shutdown's grace runs out (`InFlightActivities`), or when the calling task is cancelled.
enum ActivityAttempt {
    struct Outcome {
        var result: Result<Temporal_Api_Common_V1_Payload, any Error>
        /// True when the deadline stopped the code.
        var deadlinePassed: Bool
    }

    /// Runs the code in the calling task, which a stop cancels for good: the caller reports the outcome from a
    /// task of its own when `Task.isCancelled` (RPCs of a cancelled task are cancelled with it). No task is
    /// started, so no thread is woken to run one: an activity task's handler uses this.
    static func runInCallingTask(
        _ definition: ActivityDefinition, arguments: WorkflowArguments, context: ActivityContext,
        heartbeater: ActivityHeartbeater, shared: WorkerSharedState
    ) async -> Outcome {
        let code = CallingTaskStopper()
        return await watched(context: context, heartbeater: heartbeater, shared: shared, stop: code.stop) {
            await code.run { await run(definition, arguments: arguments, context: context) }
        } finished: {
            await code.ended()
        }
    }

    /// Runs the code in a task of its own, so that a stop leaves the calling task alone: a local activity's
    /// retry loop goes on after its attempt's deadline stopped it.
    static func runInOwnTask(
        _ definition: ActivityDefinition, arguments: WorkflowArguments, context: ActivityContext,
        heartbeater: ActivityHeartbeater, shared: WorkerSharedState
    ) async -> Outcome {
        let work = Task { await run(definition, arguments: arguments, context: context) }
        return await watched(context: context, heartbeater: heartbeater, shared: shared, stop: { work.cancel() }) {
            await withTaskCancellationHandler {
                await work.value
            } onCancel: {
                work.cancel()
            }
        } finished: {
            _ = await work.value
        }
    }

    private static func run(_ definition: ActivityDefinition, arguments: WorkflowArguments, context: ActivityContext)
        async -> Result<Temporal_Api_Common_V1_Payload, any Error>
    {
        do {
            return .success(
                try await ActivityContext.$current.withValue(context) { try await definition.run(arguments, context) })
        } catch {
            return .failure(error)
        }
    }

    /// `body` with every trigger of `stop` armed while it runs; `finished` waits for the code's end (shutdown).
    private static func watched(
        context: ActivityContext, heartbeater: ActivityHeartbeater, shared: WorkerSharedState,
        stop: @escaping @Sendable () -> Void,
        _ body: () async -> Result<Temporal_Api_Common_V1_Payload, any Error>,
        finished: @escaping @Sendable () async -> Void
    ) async -> Outcome {
        // Also runs at once when a cancel was seen before this line (see ActivityHeartbeater).
        heartbeater.onCancelRequested(stop)
        let deadlinePassed = DeadlineMark()
        let deadline = context.info.deadline.map { deadline in
            shared.activityDeadlines.add(deadline) {
                deadlinePassed.mark()
                stop()
            }
        }
        let running = shared.inFlightActivities.add(finished: finished, cancel: stop)
        let result = await body()
        shared.inFlightActivities.remove(running)
        if let deadline { shared.activityDeadlines.remove(deadline) }
        return Outcome(result: result, deadlinePassed: deadlinePassed.isMarked)
    }
}

/// Set once by an attempt's deadline, read after the attempt ended.
private final class DeadlineMark: @unchecked Sendable {
    private let lock = Lock()
    private var marked = false
    func mark() { lock.withLock { marked = true } }
    var isMarked: Bool { lock.withLock { marked } }
}
