import SwiftProtobuf

/// Typed WorkflowService calls over a `TemporalConnection`, one method per RPC: every call the
/// worker, the client and the API make goes through here.
///
/// An empty `namespace` (and `identity`, where the request has one) is filled in from the
/// connection options. Each call takes its options: `timeout` bounds the call, retries included;
/// `retry` says whether a transient failure is re-sent. Defaults: long polls 70 s (the server
/// answers "no task" ~1 s before) and a single attempt, respond calls 10 s, everything else 30 s,
/// both with the default retry policy.
public struct WorkflowServiceClient: Sendable {
    public static let standardTimeout: Duration = .seconds(30)
    public static let respondTimeout: Duration = .seconds(10)
    public static let longPollTimeout: Duration = .seconds(70)

    public let connection: TemporalConnection
    /// Test hook: errors a test arms, by RPC name, for this client's calls (a worker's own calls).
    let faults: RPCFaults?

    public init(connection: TemporalConnection) {
        self.init(connection: connection, faults: nil)
    }

    init(connection: TemporalConnection, faults: RPCFaults?) {
        self.connection = connection
        self.faults = faults
    }

    private func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String, _ request: Request, _ timeout: Duration, _ retry: RPCRetryPolicy
    ) async throws -> Response {
        if let fault = faults?.take(method) { throw fault }
        if let delay = faults?.delay(for: method) { try await Task.sleep(for: delay) }
        var request = request
        if var namespaced = request as? any NamespacedRequest {
            if namespaced.namespace.isEmpty { namespaced.namespace = connection.namespace }
            if var identified = namespaced as? any IdentifiedRequest, identified.identity.isEmpty {
                identified.identity = connection.identity
                namespaced = identified
            }
            request = namespaced as! Request
        }
        return try await connection.unary(method, request, timeout: timeout, retry: retry)
    }

    /// Server version and capabilities.
    public func getSystemInfo(
        _ request: Temporal_Api_Workflowservice_V1_GetSystemInfoRequest = .init(),
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_GetSystemInfoResponse {
        try await call("GetSystemInfo", request, timeout, retry)
    }

    /// Namespace configuration (e.g. the blob size limit).
    public func describeNamespace(
        _ request: Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_DescribeNamespaceResponse {
        try await call("DescribeNamespace", request, timeout, retry)
    }

    /// Starts a run; retried safely because the server deduplicates `request_id`.
    public func startWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_StartWorkflowExecutionResponse {
        try await call("StartWorkflowExecution", request, timeout, retry)
    }

    /// Delivers a signal; deduplicated by `request_id`.
    public func signalWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_SignalWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_SignalWorkflowExecutionResponse {
        try await call("SignalWorkflowExecution", request, timeout, retry)
    }

    /// Signals a run, starting it first if needed; deduplicated by `request_id`.
    public func signalWithStartWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_SignalWithStartWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_SignalWithStartWorkflowExecutionResponse {
        try await call("SignalWithStartWorkflowExecution", request, timeout, retry)
    }

    /// Runs a query on a worker and waits for its answer.
    public func queryWorkflow(
        _ request: Temporal_Api_Workflowservice_V1_QueryWorkflowRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_QueryWorkflowResponse {
        try await call("QueryWorkflow", request, timeout, retry)
    }

    /// Status, pending activities and configuration of a run.
    public func describeWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionResponse {
        try await call("DescribeWorkflowExecution", request, timeout, retry)
    }

    /// Asks the workflow to cancel; deduplicated by `request_id`.
    public func requestCancelWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_RequestCancelWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RequestCancelWorkflowExecutionResponse {
        try await call("RequestCancelWorkflowExecution", request, timeout, retry)
    }

    /// Ends a run immediately, without worker involvement.
    public func terminateWorkflowExecution(
        _ request: Temporal_Api_Workflowservice_V1_TerminateWorkflowExecutionRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_TerminateWorkflowExecutionResponse {
        try await call("TerminateWorkflowExecution", request, timeout, retry)
    }

    /// One page of history; with `wait_new_event` a long poll (pass a longer timeout).
    public func getWorkflowExecutionHistory(
        _ request: Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryResponse {
        try await call("GetWorkflowExecutionHistory", request, timeout, retry)
    }

    /// Runs matching a visibility query, one page.
    public func listWorkflowExecutions(
        _ request: Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsResponse {
        try await call("ListWorkflowExecutions", request, timeout, retry)
    }

    /// Long poll for a workflow task; an empty `task_token` means none arrived.
    public func pollWorkflowTaskQueue(
        _ request: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueRequest,
        timeout: Duration = Self.longPollTimeout, retry: RPCRetryPolicy = .none
    ) async throws -> Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse {
        try await call("PollWorkflowTaskQueue", request, timeout, retry)
    }

    /// Long poll for an activity task; an empty `task_token` means none arrived.
    public func pollActivityTaskQueue(
        _ request: Temporal_Api_Workflowservice_V1_PollActivityTaskQueueRequest,
        timeout: Duration = Self.longPollTimeout, retry: RPCRetryPolicy = .none
    ) async throws -> Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse {
        try await call("PollActivityTaskQueue", request, timeout, retry)
    }

    /// Completes a workflow task with commands (a reused token is NOT_FOUND, so retrying is safe).
    public func respondWorkflowTaskCompleted(
        _ request: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse {
        try await call("RespondWorkflowTaskCompleted", request, timeout, retry)
    }

    /// Fails a workflow task; the server schedules a new attempt.
    public func respondWorkflowTaskFailed(
        _ request: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskFailedRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondWorkflowTaskFailedResponse {
        try await call("RespondWorkflowTaskFailed", request, timeout, retry)
    }

    /// Answers a query-only task.
    public func respondQueryTaskCompleted(
        _ request: Temporal_Api_Workflowservice_V1_RespondQueryTaskCompletedRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondQueryTaskCompletedResponse {
        try await call("RespondQueryTaskCompleted", request, timeout, retry)
    }

    /// Heartbeats an activity; the response says whether cancel was requested.
    public func recordActivityTaskHeartbeat(
        _ request: Temporal_Api_Workflowservice_V1_RecordActivityTaskHeartbeatRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RecordActivityTaskHeartbeatResponse {
        try await call("RecordActivityTaskHeartbeat", request, timeout, retry)
    }

    /// Completes an activity with its result.
    public func respondActivityTaskCompleted(
        _ request: Temporal_Api_Workflowservice_V1_RespondActivityTaskCompletedRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondActivityTaskCompletedResponse {
        try await call("RespondActivityTaskCompleted", request, timeout, retry)
    }

    /// Fails an activity attempt.
    public func respondActivityTaskFailed(
        _ request: Temporal_Api_Workflowservice_V1_RespondActivityTaskFailedRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondActivityTaskFailedResponse {
        try await call("RespondActivityTaskFailed", request, timeout, retry)
    }

    /// Acknowledges an activity cancellation.
    public func respondActivityTaskCanceled(
        _ request: Temporal_Api_Workflowservice_V1_RespondActivityTaskCanceledRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RespondActivityTaskCanceledResponse {
        try await call("RespondActivityTaskCanceled", request, timeout, retry)
    }

    /// Tells the server a worker is leaving (releases its sticky queue).
    public func shutdownWorker(
        _ request: Temporal_Api_Workflowservice_V1_ShutdownWorkerRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_ShutdownWorkerResponse {
        try await call("ShutdownWorker", request, timeout, retry)
    }

    /// Reports workers' state (the official SDKs send one per worker every 60 s).
    public func recordWorkerHeartbeat(
        _ request: Temporal_Api_Workflowservice_V1_RecordWorkerHeartbeatRequest,
        timeout: Duration = Self.respondTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_RecordWorkerHeartbeatResponse {
        try await call("RecordWorkerHeartbeat", request, timeout, retry)
    }

    /// Workers that sent heartbeats, one page; `query` filters (e.g. `TaskQueue="orders"`).
    public func listWorkers(
        _ request: Temporal_Api_Workflowservice_V1_ListWorkersRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_ListWorkersResponse {
        try await call("ListWorkers", request, timeout, retry)
    }

    /// A worker's last heartbeat, by its instance key.
    public func describeWorker(
        _ request: Temporal_Api_Workflowservice_V1_DescribeWorkerRequest,
        timeout: Duration = Self.standardTimeout, retry: RPCRetryPolicy = .default
    ) async throws -> Temporal_Api_Workflowservice_V1_DescribeWorkerResponse {
        try await call("DescribeWorker", request, timeout, retry)
    }
}
