#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Eager activity dispatch: marks up to 3 ScheduleActivityTask commands on the worker's own
/// queue with `request_eager_execution` (holding an activity slot for each) and runs the
/// activity tasks the server returns in `RespondWorkflowTaskCompletedResponse.activity_tasks`:
/// the first in the workflow task's own task once that task is done (`TaskFollowUp`), the
/// others in tasks of their own.
final class EagerActivityReservation: @unchecked Sendable {
    static let maxPerTask = 3
    private let shared: WorkerSharedState
    private var reserved = 0

    init?(shared: WorkerSharedState, commands: inout [Temporal_Api_Command_V1_Command]) {
        self.shared = shared
        for index in commands.indices where reserved < Self.maxPerTask {
            guard case .scheduleActivityTaskCommandAttributes(var attributes)? = commands[index].attributes,
                attributes.taskQueue.name == shared.taskQueue,
                shared.activities[attributes.activityType.name] != nil,
                !shared.inFlightActivities.isShuttingDown,
                shared.activitySlots.tryAcquire()
            else { continue }
            attributes.requestEagerExecution = true
            commands[index].scheduleActivityTaskCommandAttributes = attributes
            reserved += 1
        }
        if reserved == 0 { return nil }
    }

    func releaseAll() {
        for _ in 0..<reserved { shared.activitySlots.release() }
        reserved = 0
    }

    /// Starts all but the first of the returned activity tasks (each takes over its reserved slot) and returns the
    /// first, to run in the calling task: a task and a thread wake-up fewer per activity.
    func dispatch(_ response: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse)
        -> TaskFollowUp?
    {
        var followUp: TaskFollowUp?
        if let runActivity = shared.runActivity {
            for task in response.activityTasks.prefix(reserved) {
                reserved -= 1
                shared.count { $0.eagerActivities += 1 }
                if followUp == nil {
                    followUp = { await runActivity(task) }
                } else {
                    Task { await runActivity(task) }
                }
            }
        }
        releaseAll()
        return followUp
    }
}
