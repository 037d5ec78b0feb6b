/// An activity type: its name and its body, `async throws (Input, ActivityContext) -> Output`.
public struct ActivityDefinition: Sendable {
    public let name: String
    let run: @Sendable (WorkflowArguments, ActivityContext) async throws -> Temporal_Api_Common_V1_Payload

    public init<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String, _ body: @escaping @Sendable (Input, ActivityContext) async throws -> Output
    ) {
        self.name = name
        self.run = { arguments, context in
            let input = try arguments.decode(Input.self)
            return try WorkflowPayloads.encode(try await body(input, context))
        }
    }
}
