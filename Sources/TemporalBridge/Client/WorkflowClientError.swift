/// Why a `WorkflowClient` call failed, in terms a caller can act on.
public enum WorkflowClientError: Error, Sendable, Equatable {
    /// A run with this workflow id is already running (or the reuse policy forbids a new one).
    case alreadyStarted(runId: String)
    /// No such workflow (or run) in the namespace.
    case notFound
    /// The query was not run because the workflow's status met the reject condition.
    case queryRejected(status: Temporal_Api_Enums_V1_WorkflowExecutionStatus)
    /// The workflow's query handler failed (or the query type is unknown to it).
    case queryFailed(String)
    /// No answer before the deadline (e.g. a query while no worker polls the task queue).
    case timeout
    /// The server could not be reached.
    case unavailable(String)
    /// The run ended Canceled / Terminated / TimedOut while awaiting its result.
    case workflowCanceled
    case workflowTerminated(reason: String)
    case workflowTimedOut
    /// Any other server error.
    case rpc(TemporalRPCError)

    /// Maps a transport error onto the cases above.
    init(_ error: TemporalRPCError) {
        switch (error.code, error.detail) {
        case (_, .workflowAlreadyStarted(_, let runId)?):
            self = .alreadyStarted(runId: runId)
        case (.notFound, .namespaceNotFound?):
            self = .rpc(error)
        case (.notFound, _):
            self = .notFound
        case (_, .queryFailed(let failure)?):
            self = .queryFailed(failure.map(\.message).flatMap { $0.isEmpty ? nil : $0 } ?? error.message)
        case (.deadlineExceeded, _):
            self = .timeout
        case (.unavailable, _):
            self = .unavailable(error.message)
        default:
            self = .rpc(error)
        }
    }
}

/// The workflow run ended Failed; `failure` is what the workflow failed with.
public struct WorkflowFailedError: Error, Sendable, Equatable, CustomStringConvertible {
    public let failure: Temporal_Api_Failure_V1_Failure

    public init(failure: Temporal_Api_Failure_V1_Failure) {
        self.failure = failure
    }

    /// The ApplicationFailure type (e.g. "PaymentDeclined"), empty for other failure kinds.
    public var applicationFailureType: String {
        failure.applicationFailureInfo.type
    }

    public var description: String { "workflow failed: \(failure.message)" }
}

/// Runs `body`, translating transport errors into `WorkflowClientError`.
func mappingClientErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as TemporalRPCError {
        throw WorkflowClientError(error)
    }
}
