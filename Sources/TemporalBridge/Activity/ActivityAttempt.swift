/// One attempt of an activity's code, in a task of its own so that it can be stopped apart from the task that
/// handles it (which still reports the outcome): at the attempt's deadline (the server gives up on it then), when
/// the server asks for cancellation (a heartbeat's answer), when shutdown's grace runs out (`InFlightActivities`),
/// or when the handling task is cancelled.
enum ActivityAttempt {
    struct Outcome {
        var result: Result<Temporal_Api_Common_V1_Payload, any Error>
        /// True when the deadline stopped the code.
        var deadlinePassed: Bool
    }

    static func run(
        _ definition: ActivityDefinition, arguments: WorkflowArguments, context: ActivityContext,
        heartbeater: ActivityHeartbeater, shared: WorkerSharedState
    ) async -> Outcome {
        let work = Task {
            try await ActivityContext.$current.withValue(context) {
                try await definition.run(arguments, context)
            }
        }
        // Also runs at once when a cancel was seen before this line (see ActivityHeartbeater).
        heartbeater.onCancelRequested { work.cancel() }
        let deadlinePassed = DeadlineMark()
        let deadline = context.info.deadline.map { deadline in
            shared.activityDeadlines.add(deadline) {
                deadlinePassed.mark()
                work.cancel()
            }
        }
        let running = shared.inFlightActivities.add(finished: { _ = await work.result }, cancel: { work.cancel() })
        let result = await withTaskCancellationHandler {
            await work.result
        } onCancel: {
            work.cancel()
        }
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
