/// A business failure with a type the caller can branch on.
///
/// Thrown from an activity it becomes `RespondActivityTaskFailed` with `ApplicationFailureInfo`;
/// thrown from a workflow it becomes `FailWorkflowExecution`. `nonRetryable` stops the server's
/// retry policy after this attempt.
public struct ApplicationFailure: Error, Sendable, CustomStringConvertible {
    public var type: String
    public var message: String
    public var nonRetryable: Bool
    /// Encoded detail payloads (see `PayloadConverter`).
    public var details: [Temporal_Api_Common_V1_Payload]

    public init(
        type: String,
        message: String,
        nonRetryable: Bool = false,
        details: [Temporal_Api_Common_V1_Payload] = []
    ) {
        self.type = type
        self.message = message
        self.nonRetryable = nonRetryable
        self.details = details
    }

    public var description: String {
        "ApplicationFailure(type: \(type), message: \(message), nonRetryable: \(nonRetryable))"
    }
}

extension ApplicationFailure: Equatable {
    public static func == (lhs: ApplicationFailure, rhs: ApplicationFailure) -> Bool {
        lhs.type == rhs.type && lhs.message == rhs.message && lhs.nonRetryable == rhs.nonRetryable
            && lhs.details == rhs.details
    }
}
