import Foundation
import OrderCore
import TemporalBridge
import TestSupport
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    @Suite("interoperability and load") struct InteropAndLoad {
        @Test func workflowStartedByTheTemporalCLIWithDesignsJSONCompletes() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "89.99", stock: 5)
                let orderId = WorkerTestDatabase.uniqueId("wt-cli")
                let input = """
                    {"order_id":"\(orderId)","customer_id":"cust-cli","items":[{"product_id":"\(product)","product_name":"Gaming Mouse","quantity":2,"unit_price":89.99}]}
                    """
                let started = try await CommandLineTool.run([
                    TemporalCLI.path, "workflow", "start", "--type", "OrderWorkflow", "--task-queue", harness.taskQueue,
                    "--workflow-id", orderId, "--input", input, "--address", harness.config.temporal.hostPort,
                    "--namespace", harness.config.temporal.namespace,
                ])
                #expect(started.status == 0, "temporal workflow start failed: \(started.stderr)")
                let handle = WorkflowHandle(workflowId: orderId, runId: "")
                let result = try await harness.result(handle)
                #expect(result.status == .completed)
                #expect(result.total == Money(cents: 17_998))
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 3)

                // The CLI sees the documented result shape too.
                let shown = try await CommandLineTool.run([
                    TemporalCLI.path, "workflow", "result", "--workflow-id", orderId, "--address",
                    harness.config.temporal.hostPort,
                    "--output", "json",
                ])
                #expect(shown.status == 0)
                #expect(shown.text.contains("179.98"))
            }
        }

        @Test func hundredConcurrentOrdersForStock37CompleteExactly37() async throws {
            var options = WorkerOptions()
            options.maxConcurrentWorkflowTasks = 20
            try await WorkerHarness.with(options: options) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "1.00", stock: 37)
                let handles = try await withThrowingTaskGroup(of: WorkflowHandle.self) { group in
                    for _ in 0..<100 { group.addTask { try await harness.start(items: [(product, 1)]) } }
                    return try await group.reduce(into: [WorkflowHandle]()) { $0.append($1) }
                }
                let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                    for handle in handles {
                        group.addTask {
                            do {
                                return try await harness.result(handle).status.rawValue
                            } catch let failed as WorkflowFailedError {
                                return failed.applicationFailureType
                            }
                        }
                    }
                    return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
                }
                #expect(outcomes == ["completed": 37, "InsufficientInventory": 63])
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 0)
                let completed = try await harness.pool.query(
                    """
                    SELECT count(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.id
                     WHERE i.product_id = $1 AND o.status = 'completed'
                    """, [.string(product)])
                #expect(try completed.first?.int("n") == 37)
                let payments = try await harness.pool.query(
                    """
                    SELECT count(*) AS n FROM payments p JOIN order_items i ON i.order_id = p.order_id WHERE i.product_id = $1
                    """, [.string(product)])
                #expect(try payments.first?.int("n") == 37)
            }
        }
    }
}
