/// The workflow code no longer produces the commands its history recorded.
public struct NonDeterminismError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "NonDeterminismError: \(message)" }
}

/// Workflow code did something the deterministic runtime cannot follow (escaped the executor,
/// blocked outside the runtime, unknown type...). Fails the workflow task, not the workflow.
public struct WorkflowTaskFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "WorkflowTaskFailure: \(message)" }
}
