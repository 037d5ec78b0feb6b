import OrderCore

/// What the API needs from Temporal, without naming any Temporal type.
/// The concrete adapter is `TemporalOrderWorkflowGateway`; tests use fakes.
public protocol OrderWorkflowGateway: Sendable {
    /// Starts `OrderWorkflow` with workflow id = `input.orderId`. Starting an id that
    /// already has a workflow (running or closed) never starts a second one: it answers
    /// `alreadyExisted: true` with the existing run. `requestId` is passed as Temporal's
    /// request id so a retried start is deduplicated by the server too.
    func start(input: OrderInput, requestId: String) async throws -> StartOutcome

    /// Live `getStatus` query; `nil` when the workflow is closed or does not exist.
    /// Implementations bound the call by a short timeout (about 2 s).
    func status(orderId: String) async throws -> OrderStatusReport?

    /// Sends the `cancelOrder` signal with payload `{"reason": ...}`.
    /// Throws `OrderWorkflowGatewayError.notFound` when no running workflow has that id.
    func cancel(orderId: String, reason: String?) async throws

    /// Whether a workflow (running or closed) has the id `orderId`: after a start that failed in an ambiguous
    /// way (a timeout), it tells whether the start went through after all. Bounded by a short timeout.
    func workflowExists(orderId: String) async throws -> Bool

    /// Whether Temporal answers at all (for `/readyz`).
    func isReachable() async -> Bool
}

public struct StartOutcome: Sendable, Equatable {
    public var workflowId: String
    public var runId: String
    public var alreadyExisted: Bool

    public init(workflowId: String, runId: String, alreadyExisted: Bool) {
        self.workflowId = workflowId
        self.runId = runId
        self.alreadyExisted = alreadyExisted
    }
}

public enum OrderWorkflowGatewayError: Error, Sendable, Equatable {
    /// Temporal cannot be reached or timed out: the API answers 503 with Retry-After.
    case unavailable(String)
    /// No (running) workflow with this id.
    case notFound
}
