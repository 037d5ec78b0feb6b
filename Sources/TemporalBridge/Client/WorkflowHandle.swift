/// A started (or attached-to) workflow run.
public struct WorkflowHandle: Sendable, Hashable {
    public let workflowId: String
    /// The run this handle points at; empty = the current run of `workflowId`.
    public let runId: String
    /// False when a conflict policy of USE_EXISTING returned an already running run.
    public let started: Bool

    public init(workflowId: String, runId: String, started: Bool = true) {
        self.workflowId = workflowId
        self.runId = runId
        self.started = started
    }

    var execution: Temporal_Api_Common_V1_WorkflowExecution {
        var execution = Temporal_Api_Common_V1_WorkflowExecution()
        execution.workflowID = workflowId
        execution.runID = runId
        return execution
    }
}
