/// A workflow type: its name and its body, an `async throws (Input) -> Output` function.
public struct WorkflowDefinition: Sendable {
    /// What a cancel request (WorkflowExecutionCancelRequested) does to a run of this type.
    public enum Cancellation: Sendable {
        /// The workflow's task is cancelled: the activities, timers and conditions it awaits are cancelled and throw
        /// `CancellationError`, except inside `Workflow.nonCancellable`. As in Temporal's other SDKs.
        case cancelsWorkflow
        /// Nothing is cancelled: `Workflow.isCancellationRequested` turns true and the workflow code decides when to
        /// stop and what to undo. The same as running the whole body in `Workflow.nonCancellable`, without the
        /// second task (and its memory) that costs every cached run.
        case requestOnly
    }

    public let name: String
    public let cancellation: Cancellation
    let run: @Sendable (WorkflowArguments) async throws -> Temporal_Api_Common_V1_Payload

    public init<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String, cancellation: Cancellation = .cancelsWorkflow,
        _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.name = name
        self.cancellation = cancellation
        self.run = { arguments in
            let input = try arguments.decode(Input.self)
            return try WorkflowPayloads.encode(try await body(input))
        }
    }
}
