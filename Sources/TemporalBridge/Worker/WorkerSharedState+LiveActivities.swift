extension WorkerSharedState {
    /// The server's view of a run's pending activities (attempt in progress, last failure), for
    /// the built-in queries; empty when the server does not answer within two seconds, so a
    /// slow frontend costs the stack trace its attempts, never the query its answer.
    func liveActivityAttempts(_ execution: Temporal_Api_Common_V1_WorkflowExecution) async
        -> [String: LiveActivityAttempt]
    {
        var request = Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionRequest()
        request.namespace = namespace
        request.execution = execution
        do {
            let description = try await service.describeWorkflowExecution(
                request, timeout: .seconds(2), retry: .none)
            return LiveActivityAttempt.byActivityId(description)
        } catch {
            logger.debug("cannot describe the run for its stack trace", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    /// Live attempts when one of `queryTypes` is the stack trace or the metadata query (the Web UI's
    /// call stack and current details), else nothing (no extra call).
    func liveActivityAttempts(
        for queryTypes: some Sequence<String>, of execution: Temporal_Api_Common_V1_WorkflowExecution
    ) async -> [String: LiveActivityAttempt] {
        guard
            queryTypes.contains(where: { $0 == WorkflowContext.stackTraceQuery || $0 == WorkflowContext.metadataQuery })
        else { return [:] }
        return await liveActivityAttempts(execution)
    }
}
