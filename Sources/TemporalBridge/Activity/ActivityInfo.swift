#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Facts about one activity attempt, from its PollActivityTaskQueueResponse.
public struct ActivityInfo: Sendable {
    public var workflowNamespace: String
    public var workflowId: String
    public var runId: String
    public var workflowType: String
    public var activityId: String
    public var activityType: String
    public var taskQueue: String
    /// 1-based attempt number.
    public var attempt: Int
    public var scheduledTime: Date
    public var startedTime: Date
    /// When start-to-close (or schedule-to-close) expires, whichever is first.
    public var deadline: Date?
    public var heartbeatTimeout: Duration?
    /// Details of the previous attempt's last heartbeat.
    public var heartbeatDetails: WorkflowArguments

    init(task: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse, taskQueue: String) {
        workflowNamespace = task.workflowNamespace
        workflowId = task.workflowExecution.workflowID
        runId = task.workflowExecution.runID
        workflowType = task.workflowType.name
        activityId = task.activityID
        activityType = task.activityType.name
        self.taskQueue = taskQueue
        attempt = Int(max(1, task.attempt))
        scheduledTime = task.scheduledTime.date
        startedTime = task.hasStartedTime ? task.startedTime.date : Date()
        var deadlines: [Date] = []
        if task.hasStartToCloseTimeout, task.startToCloseTimeout.seconds + Int64(task.startToCloseTimeout.nanos) > 0 {
            deadlines.append(startedTime.addingTimeInterval(task.startToCloseTimeout.timeInterval))
        }
        if task.hasScheduleToCloseTimeout,
            task.scheduleToCloseTimeout.seconds + Int64(task.scheduleToCloseTimeout.nanos) > 0
        {
            deadlines.append(scheduledTime.addingTimeInterval(task.scheduleToCloseTimeout.timeInterval))
        }
        deadline = deadlines.min()
        heartbeatTimeout =
            task.hasHeartbeatTimeout && task.heartbeatTimeout.timeInterval > 0
            ? Duration(task.heartbeatTimeout) : nil
        heartbeatDetails = WorkflowArguments(task.heartbeatDetails.payloads)
    }
}
