/// Facts about the running workflow, from its WorkflowExecutionStarted event and the task.
public struct WorkflowInfo: Sendable, Equatable {
    public var namespace: String
    public var workflowId: String
    public var runId: String
    public var workflowType: String
    public var taskQueue: String
    /// The workflow run's attempt (workflow-level retries), 1-based.
    public var attempt: Int

    public init(
        namespace: String, workflowId: String, runId: String, workflowType: String, taskQueue: String, attempt: Int
    ) {
        self.namespace = namespace
        self.workflowId = workflowId
        self.runId = runId
        self.workflowType = workflowType
        self.taskQueue = taskQueue
        self.attempt = attempt
    }
}
