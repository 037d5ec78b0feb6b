import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How to start a workflow run, beyond its id, type, task queue and input.
public struct WorkflowStartOptions: Sendable {
    public var idReusePolicy: Temporal_Api_Enums_V1_WorkflowIdReusePolicy
    /// UNSPECIFIED behaves like FAIL: a duplicate start throws `alreadyStarted`.
    public var idConflictPolicy: Temporal_Api_Enums_V1_WorkflowIdConflictPolicy
    public var executionTimeout: Duration?
    public var runTimeout: Duration?
    /// Server default 10 s when nil.
    public var taskTimeout: Duration?
    /// Values are stored as json/plain payloads.
    public var memo: [String: any Encodable & Sendable]
    /// Idempotency key: a retried start with the same id is deduplicated by the server.
    /// nil = a fresh UUID per `start` call (still reused by that call's own retries).
    public var requestId: String?

    public init(
        idReusePolicy: Temporal_Api_Enums_V1_WorkflowIdReusePolicy = .unspecified,
        idConflictPolicy: Temporal_Api_Enums_V1_WorkflowIdConflictPolicy = .unspecified,
        executionTimeout: Duration? = nil,
        runTimeout: Duration? = nil,
        taskTimeout: Duration? = nil,
        memo: [String: any Encodable & Sendable] = [:],
        requestId: String? = nil
    ) {
        self.idReusePolicy = idReusePolicy
        self.idConflictPolicy = idConflictPolicy
        self.executionTimeout = executionTimeout
        self.runTimeout = runTimeout
        self.taskTimeout = taskTimeout
        self.memo = memo
        self.requestId = requestId
    }
}

/// The fields a plain start and a signal-with-start share, so the options are applied in one place.
protocol WorkflowStartRequest {
    var workflowIDReusePolicy: Temporal_Api_Enums_V1_WorkflowIdReusePolicy { get set }
    var workflowIDConflictPolicy: Temporal_Api_Enums_V1_WorkflowIdConflictPolicy { get set }
    var workflowExecutionTimeout: Google_Protobuf_Duration { get set }
    var workflowRunTimeout: Google_Protobuf_Duration { get set }
    var workflowTaskTimeout: Google_Protobuf_Duration { get set }
    var memo: Temporal_Api_Common_V1_Memo { get set }
    var requestID: String { get set }
}

extension Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest: WorkflowStartRequest {}
extension Temporal_Api_Workflowservice_V1_SignalWithStartWorkflowExecutionRequest: WorkflowStartRequest {}

extension WorkflowStartOptions {
    func apply(to request: inout some WorkflowStartRequest, converter: PayloadConverter) throws {
        request.requestID = requestId ?? UUID.random().uuidString
        request.workflowIDReusePolicy = idReusePolicy
        request.workflowIDConflictPolicy = idConflictPolicy
        if let t = executionTimeout { request.workflowExecutionTimeout = .init(t) }
        if let t = runTimeout { request.workflowRunTimeout = .init(t) }
        if let t = taskTimeout { request.workflowTaskTimeout = .init(t) }
        if !memo.isEmpty { request.memo.fields = try memo.mapValues { try converter.toPayload($0) } }
    }
}

extension Google_Protobuf_Duration {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }
}
