extension WorkflowClient {
    /// Runs query `name` on a worker and decodes the first answer payload as `T`.
    ///
    /// `.queryRejected` when `rejectCondition` matched, `.queryFailed(message)` when the
    /// handler failed, `.timeout` when no worker answered within `timeout`.
    public func query<T: Decodable>(
        _ handle: WorkflowHandle, name: String, args: [any Encodable] = [], as type: T.Type = T.self,
        rejectCondition: Temporal_Api_Enums_V1_QueryRejectCondition = .unspecified,
        timeout: Duration = WorkflowServiceClient.standardTimeout
    ) async throws -> T {
        var request = Temporal_Api_Workflowservice_V1_QueryWorkflowRequest()
        request.execution = handle.execution
        request.query.queryType = name
        if !args.isEmpty { request.query.queryArgs = try converter.toPayloads(args) }
        request.queryRejectCondition = rejectCondition
        // One retry at most, and only on UNAVAILABLE: a query with no worker already waits the whole timeout.
        let response = try await mappingClientErrors {
            try await service.queryWorkflow(request, timeout: timeout, retry: .safe(maxAttempts: 2))
        }
        if response.hasQueryRejected {
            throw WorkflowClientError.queryRejected(status: response.queryRejected.status)
        }
        return try converter.fromPayloads(response.queryResult, at: 0, as: T.self)
    }
}
