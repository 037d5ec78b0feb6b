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

/// Walks the top-level fields of a protobuf message's bytes (enough to pick one field out).
struct ProtoFieldReader {
    struct Field {
        let number: Int
        /// The payload of a length-delimited field; nil for other wire types.
        let bytes: [UInt8]?
    }

    struct Malformed: Error {}

    private let data: [UInt8]
    private var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func next() throws -> Field? {
        guard offset < data.count else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        switch key & 7 {
        case 0:
            _ = try varint()
            return Field(number: number, bytes: nil)
        case 1: try skip(8)
        case 5: try skip(4)
        case 2:
            let length = Int(try varint())
            guard length >= 0, offset + length <= data.count else { throw Malformed() }
            let bytes = Array(data[offset..<offset + length])
            offset += length
            return Field(number: number, bytes: bytes)
        default: throw Malformed()
        }
        return Field(number: number, bytes: nil)
    }

    private mutating func skip(_ count: Int) throws {
        guard offset + count <= data.count else { throw Malformed() }
        offset += count
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < data.count, shift < 64 {
            let byte = data[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed()
    }
}
