/// How the next run of a continued-as-new workflow starts. Unset fields keep the current run's.
public struct ContinueAsNewOptions: Sendable, Equatable {
    /// nil = the same workflow type.
    public var workflowType: String?
    /// nil = the same task queue.
    public var taskQueue: String?
    public var workflowRunTimeout: Duration?
    public var workflowTaskTimeout: Duration?

    public init(
        workflowType: String? = nil, taskQueue: String? = nil,
        workflowRunTimeout: Duration? = nil, workflowTaskTimeout: Duration? = nil
    ) {
        self.workflowType = workflowType
        self.taskQueue = taskQueue
        self.workflowRunTimeout = workflowRunTimeout
        self.workflowTaskTimeout = workflowTaskTimeout
    }
}

/// Thrown by `Workflow.continueAsNew`: when it leaves the workflow function the run ends with a
/// ContinueAsNewWorkflowExecution command instead of a result. Rethrow it if you catch errors.
public struct ContinueAsNewRequest: Error, Sendable {
    let input: [Temporal_Api_Common_V1_Payload]
    let options: ContinueAsNewOptions

    func command(info: WorkflowInfo) -> Temporal_Api_Command_V1_Command {
        var attributes = Temporal_Api_Command_V1_ContinueAsNewWorkflowExecutionCommandAttributes()
        attributes.workflowType.name = options.workflowType ?? info.workflowType
        attributes.taskQueue.name = options.taskQueue ?? info.taskQueue
        attributes.taskQueue.kind = .normal
        attributes.input.payloads = input
        if let value = options.workflowRunTimeout { attributes.workflowRunTimeout = .init(rounding: value) }
        if let value = options.workflowTaskTimeout { attributes.workflowTaskTimeout = .init(rounding: value) }
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .continueAsNewWorkflowExecution
        command.continueAsNewWorkflowExecutionCommandAttributes = attributes
        return command
    }
}
