#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Starts and controls workflow runs: the client half of a Temporal SDK.
///
/// Inputs and results go through `PayloadConverter` (json/plain for Codable values).
/// Errors are `WorkflowClientError`, `WorkflowFailedError` or `PayloadConversionError`.
/// A `timeout` bounds the whole call, retries of transient failures included.
public struct WorkflowClient: Sendable {
    public let service: WorkflowServiceClient
    public let converter: PayloadConverter

    public init(connection: TemporalConnection, converter: PayloadConverter = PayloadConverter()) {
        self.service = WorkflowServiceClient(connection: connection)
        self.converter = converter
    }

    public var namespace: String { service.connection.namespace }

    /// Starts `workflowType` with id `id` on `taskQueue`; `args` become one payload each.
    /// Throws `.alreadyStarted(runId:)` when a run with this id is running (unless the
    /// conflict policy is USE_EXISTING, which returns that run with `started == false`).
    public func start(
        workflowType: String, id: String, taskQueue: String,
        args: [any Encodable] = [], options: WorkflowStartOptions = WorkflowStartOptions(),
        timeout: Duration = WorkflowServiceClient.standardTimeout
    ) async throws -> WorkflowHandle {
        var request = Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest()
        request.workflowID = id
        request.workflowType.name = workflowType
        request.taskQueue = Self.taskQueue(taskQueue)
        if !args.isEmpty { request.input = try converter.toPayloads(args) }
        try options.apply(to: &request, converter: converter)
        let response = try await mappingClientErrors {
            try await service.startWorkflowExecution(request, timeout: timeout)
        }
        return WorkflowHandle(workflowId: id, runId: response.runID, started: response.started)
    }

    /// Sends signal `name` to the run (empty runId = the current run).
    public func signal(
        _ handle: WorkflowHandle, name: String, args: [any Encodable] = [], requestId: String? = nil,
        timeout: Duration = WorkflowServiceClient.standardTimeout
    ) async throws {
        var request = Temporal_Api_Workflowservice_V1_SignalWorkflowExecutionRequest()
        request.workflowExecution = handle.execution
        request.signalName = name
        if !args.isEmpty { request.input = try converter.toPayloads(args) }
        request.requestID = requestId ?? UUID.random().uuidString
        _ = try await mappingClientErrors { try await service.signalWorkflowExecution(request, timeout: timeout) }
    }

    /// Signals the running workflow `id`, starting it first when none is running.
    public func signalWithStart(
        workflowType: String, id: String, taskQueue: String, args: [any Encodable] = [],
        signal: String, signalArgs: [any Encodable] = [], options: WorkflowStartOptions = WorkflowStartOptions()
    ) async throws -> WorkflowHandle {
        var request = Temporal_Api_Workflowservice_V1_SignalWithStartWorkflowExecutionRequest()
        request.workflowID = id
        request.workflowType.name = workflowType
        request.taskQueue = Self.taskQueue(taskQueue)
        if !args.isEmpty { request.input = try converter.toPayloads(args) }
        request.signalName = signal
        if !signalArgs.isEmpty { request.signalInput = try converter.toPayloads(signalArgs) }
        try options.apply(to: &request, converter: converter)
        let response = try await mappingClientErrors { try await service.signalWithStartWorkflowExecution(request) }
        return WorkflowHandle(workflowId: id, runId: response.runID, started: response.started)
    }

    /// Asks the workflow to cancel itself; `reason` ends up in the CancelRequested event.
    public func requestCancel(_ handle: WorkflowHandle, reason: String = "", requestId: String? = nil) async throws {
        var request = Temporal_Api_Workflowservice_V1_RequestCancelWorkflowExecutionRequest()
        request.workflowExecution = handle.execution
        request.reason = reason
        request.requestID = requestId ?? UUID.random().uuidString
        _ = try await mappingClientErrors { try await service.requestCancelWorkflowExecution(request) }
    }

    /// Ends the run at once, without involving a worker.
    public func terminate(_ handle: WorkflowHandle, reason: String = "") async throws {
        var request = Temporal_Api_Workflowservice_V1_TerminateWorkflowExecutionRequest()
        request.workflowExecution = handle.execution
        request.reason = reason
        _ = try await mappingClientErrors { try await service.terminateWorkflowExecution(request) }
    }

    static func taskQueue(_ name: String) -> Temporal_Api_Taskqueue_V1_TaskQueue {
        var queue = Temporal_Api_Taskqueue_V1_TaskQueue()
        queue.name = name
        queue.kind = .normal
        return queue
    }
}
