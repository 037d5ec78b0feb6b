/// A workflow type: its name and its body, an `async throws (Input) -> Output` function.
public struct WorkflowDefinition: Sendable {
    public let name: String
    let run: @Sendable (WorkflowArguments) async throws -> Temporal_Api_Common_V1_Payload

    public init<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String, _ body: @escaping @Sendable (Input) async throws -> Output
    ) {
        self.name = name
        self.run = { arguments in
            let input = try arguments.decode(Input.self)
            return try WorkflowPayloads.encode(try await body(input))
        }
    }
}
