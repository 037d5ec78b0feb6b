import Foundation
import Logging
import OrderCore
import TemporalBridge
import Testing

@testable import OrderAPI

/// `TemporalOrderWorkflowGateway` against the real Temporal dev server (127.0.0.1:7233).
/// Workflows go to a task queue of their own that no worker polls, so nothing runs them;
/// each is terminated at the end.
@Suite(.serialized) struct TemporalGatewayIntegrationTests {
    let client: WorkflowClient
    let gateway: TemporalOrderWorkflowGateway

    init() throws {
        let target = ProcessInfo.processInfo.environment["TEMPORAL_HOST_PORT"] ?? "127.0.0.1:7233"
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: target, namespace: "default"))
        client = WorkflowClient(connection: connection)
        gateway = TemporalOrderWorkflowGateway(client: client, taskQueue: "order-api-it-\(UUID().uuidString.prefix(8))")
    }

    func input(_ id: String) -> OrderInput {
        OrderInput(
            orderId: id, customerId: "it-cust",
            items: [
                OrderItem(
                    productId: "PROD-005", productName: "Gaming Mouse", quantity: 1, unitPrice: Money(cents: 8_999))
            ])
    }

    /// Terminates the test's workflow whatever happened in `body`.
    func withCleanup(_ id: String, _ body: () async throws -> Void) async throws {
        do { try await body() } catch {
            try? await client.terminate(WorkflowHandle(workflowId: id, runId: ""), reason: "test cleanup")
            throw error
        }
        try? await client.terminate(WorkflowHandle(workflowId: id, runId: ""), reason: "test cleanup")
    }

    func requireTemporal() async throws {
        try #require(
            await gateway.isReachable(), "Temporal is not reachable at 127.0.0.1:7233 — run `make services-up`")
    }

    @Test func startIsIdempotentByOrderId() async throws {
        try await requireTemporal()
        let id = "it-api-\(UUID().uuidString.lowercased())"
        try await withCleanup(id) {
            let first = try await gateway.start(input: input(id), requestId: UUID().uuidString)
            #expect(first.alreadyExisted == false)
            #expect(first.workflowId == id)
            let again = try await gateway.start(input: input(id), requestId: UUID().uuidString)
            #expect(again.alreadyExisted == true)
            #expect(again.runId == first.runId)
        }
    }

    @Test func twentyConcurrentStartsMakeOneRun() async throws {
        try await requireTemporal()
        let id = "it-api-\(UUID().uuidString.lowercased())"
        try await withCleanup(id) {
            let gateway = gateway
            let order = input(id)
            let outcomes = try await withThrowingTaskGroup(of: StartOutcome.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await gateway.start(input: order, requestId: UUID().uuidString) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { !$0.alreadyExisted }.count == 1)
            #expect(Set(outcomes.map(\.runId)).count == 1)
        }
    }

    @Test func closedWorkflowIsNeverStartedAgain() async throws {
        try await requireTemporal()
        let id = "it-api-\(UUID().uuidString.lowercased())"
        let first = try await gateway.start(input: input(id), requestId: UUID().uuidString)
        try await client.terminate(WorkflowHandle(workflowId: id, runId: ""), reason: "test")
        let again = try await gateway.start(input: input(id), requestId: UUID().uuidString)
        #expect(again.alreadyExisted == true)
        #expect(again.runId == first.runId)
        // Closed: no live status, and a cancel signal finds no running workflow.
        #expect(try await gateway.status(orderId: id) == nil)
        await #expect(throws: OrderWorkflowGatewayError.notFound) { try await gateway.cancel(orderId: id, reason: "x") }
    }

    @Test func unknownWorkflowHasNoStatusAndCannotBeCancelled() async throws {
        try await requireTemporal()
        let id = "it-api-missing-\(UUID().uuidString.lowercased())"
        #expect(try await gateway.status(orderId: id) == nil)
        await #expect(throws: OrderWorkflowGatewayError.notFound) { try await gateway.cancel(orderId: id, reason: nil) }
    }

    @Test func cancelSignalReachesARunningWorkflowWithoutAWorker() async throws {
        try await requireTemporal()
        let id = "it-api-\(UUID().uuidString.lowercased())"
        try await withCleanup(id) {
            _ = try await gateway.start(input: input(id), requestId: UUID().uuidString)
            try await gateway.cancel(orderId: id, reason: "integration test")
            // Nobody polls this task queue, so the live query cannot be answered: bounded, reported unavailable.
            let started = ContinuousClock.now
            await #expect(throws: OrderWorkflowGatewayError.self) { _ = try await gateway.status(orderId: id) }
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }
}
