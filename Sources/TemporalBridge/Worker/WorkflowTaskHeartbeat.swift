#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Keeps a workflow task alive while its activation (a long replay) runs past 80 % of the task's
/// timeout, as sdk-core does: the task is completed with no commands and
/// `force_create_new_workflow_task`, and the server hands the next task straight back
/// (`return_new_workflow_task`). The commands of the activation, still pending in the run, go out
/// with that next task (see `WorkflowRun`: a completed task with no command events keeps them).
enum WorkflowTaskHeartbeat {
    /// Share of the workflow task timeout after which the task is heartbeated.
    static let fraction = 0.8

    /// Sends the heartbeat for `task`; returns the task that replaces it, nil when the server
    /// returned none (the next one then arrives by poll).
    static func send(
        _ task: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse, shared: WorkerSharedState,
        until deadline: ContinuousClock.Instant
    ) async throws -> Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse? {
        var request = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest()
        request.taskToken = task.taskToken
        request.identity = shared.identity
        request.namespace = shared.namespace
        request.forceCreateNewWorkflowTask = true
        request.returnNewWorkflowTask = true
        if shared.stickyExecution {
            request.stickyAttributes.workerTaskQueue = shared.stickyTaskQueue
            request.stickyAttributes.scheduleToStartTimeout = .init(
                rounding: shared.options.stickyScheduleToStartTimeout)
        }
        request.sdkMetadata.sdkName = SDKIdentity.name
        request.sdkMetadata.sdkVersion = SDKIdentity.version
        request.workerInstanceKey = shared.instanceKey
        let response = try await TransportRetry.run(until: deadline) { [request] timeout in
            try await shared.service.respondWorkflowTaskCompleted(request, timeout: timeout, retry: .default)
        }
        return try returnedTask(in: response)
    }

    /// `RespondWorkflowTaskCompletedResponse.workflow_task` (field 1). The API subset we generate
    /// leaves it out, so it is read from the response's unknown fields.
    static func returnedTask(in response: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse)
        throws -> Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse?
    {
        var reader = ProtoFieldReader(Array(response.unknownFields.data))
        while let field = try reader.next() {
            if field.number == 1, let bytes = field.bytes {
                let task = try Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse(serializedBytes: bytes)
                return task.taskToken.isEmpty ? nil : task
            }
        }
        return nil
    }
}
