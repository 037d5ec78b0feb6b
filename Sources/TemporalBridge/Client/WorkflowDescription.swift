#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What DescribeWorkflowExecution says about a run, in plain Swift types.
public struct WorkflowDescription: Sendable {
    /// An activity scheduled but not finished, with its retry state.
    public struct PendingActivity: Sendable {
        public let activityId: String
        public let activityType: String
        public let state: Temporal_Api_Enums_V1_PendingActivityState
        public let attempt: Int
        public let maximumAttempts: Int
        public let lastFailure: Temporal_Api_Failure_V1_Failure?
    }

    public let workflowId: String
    public let runId: String
    public let workflowType: String
    public let taskQueue: String
    public let status: Temporal_Api_Enums_V1_WorkflowExecutionStatus
    public let startTime: Date?
    public let closeTime: Date?
    public let historyLength: Int
    public let pendingActivities: [PendingActivity]
    /// The full response, for fields not lifted above.
    public let raw: Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionResponse

    init(_ response: Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionResponse) {
        let info = response.workflowExecutionInfo
        workflowId = info.execution.workflowID
        runId = info.execution.runID
        workflowType = info.type.name
        taskQueue = info.taskQueue
        status = info.status
        startTime = info.hasStartTime ? info.startTime.date : nil
        closeTime = info.hasCloseTime ? info.closeTime.date : nil
        historyLength = Int(info.historyLength)
        pendingActivities = response.pendingActivities.map {
            PendingActivity(
                activityId: $0.activityID, activityType: $0.activityType.name, state: $0.state,
                attempt: Int($0.attempt), maximumAttempts: Int($0.maximumAttempts),
                lastFailure: $0.hasLastFailure ? $0.lastFailure : nil)
        }
        raw = response
    }
}

extension WorkflowClient {
    /// Status, pending activities and configuration of the run.
    public func describe(_ handle: WorkflowHandle) async throws -> WorkflowDescription {
        var request = Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionRequest()
        request.execution = handle.execution
        let response = try await mappingClientErrors { try await service.describeWorkflowExecution(request) }
        return WorkflowDescription(response)
    }

    /// Runs matching a visibility query (e.g. `WorkflowType = 'OrderWorkflow'`), all pages up to `limit`.
    public func list(query: String, limit: Int = 1000) async throws -> [Temporal_Api_Workflow_V1_WorkflowExecutionInfo]
    {
        var request = Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsRequest()
        request.query = query
        request.pageSize = Int32(min(max(limit, 1), 1000))
        var executions: [Temporal_Api_Workflow_V1_WorkflowExecutionInfo] = []
        repeat {
            let page = try await mappingClientErrors { try await service.listWorkflowExecutions(request) }
            executions.append(contentsOf: page.executions)
            request.nextPageToken = page.nextPageToken
        } while !request.nextPageToken.isEmpty && executions.count < limit
        return Array(executions.prefix(limit))
    }
}
