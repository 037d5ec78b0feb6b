import Metrics
import OrderCore

/// Counts failed Temporal calls per operation (`orderflow_temporal_call_errors_total`)
/// around any gateway, so the adapters stay free of metrics code. `notFound` is an
/// answer, not an error, and is not counted.
struct InstrumentedWorkflowGateway: OrderWorkflowGateway {
    let base: any OrderWorkflowGateway

    func start(input: OrderInput, requestId: String) async throws -> StartOutcome {
        try await counting("start") { try await base.start(input: input, requestId: requestId) }
    }

    func status(orderId: String) async throws -> OrderStatusReport? {
        try await counting("status") { try await base.status(orderId: orderId) }
    }

    func cancel(orderId: String, reason: String?) async throws {
        try await counting("cancel") { try await base.cancel(orderId: orderId, reason: reason) }
    }

    func workflowExists(orderId: String) async throws -> Bool {
        try await counting("describe") { try await base.workflowExists(orderId: orderId) }
    }

    func isReachable() async -> Bool {
        let reachable = await base.isReachable()
        if !reachable { Self.errors("reachability").increment() }
        return reachable
    }

    private func counting<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch OrderWorkflowGatewayError.notFound {
            throw OrderWorkflowGatewayError.notFound
        } catch {
            Self.errors(operation).increment()
            throw error
        }
    }

    private static func errors(_ operation: String) -> Counter {
        Counter(label: "orderflow_temporal_call_errors_total", dimensions: [("operation", operation)])
    }
}
