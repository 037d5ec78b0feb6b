import Foundation
import SwiftProtobuf

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

extension Google_Protobuf_Duration {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }
}
