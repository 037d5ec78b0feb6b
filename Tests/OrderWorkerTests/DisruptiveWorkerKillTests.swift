import Foundation
import OrderCore
import PostgresClient
import TemporalBridge
import Testing

@testable import OrderWorker

/// Kills the worker process with SIGKILL in the middle of 50 orders and starts a new one: every
/// order still reaches a terminal state, and no order is charged twice.
@Suite("Disruptive: worker SIGKILL mid-flight", .serialized)
struct DisruptiveWorkerKillTests {
    @Test func fiftyOrdersSurviveAWorkerKill() async throws {
        let binary = try await WorkerProcess.binary()
        // The in-process harness provides the client and pool; its own worker polls a different
        // queue, so only the child processes run these orders.
        try await WorkerHarness.with { harness in
            let queue = WorkerTestDatabase.uniqueId("wtest-kill")
            let environment = [
                "TEMPORAL_TASK_QUEUE": queue, "PAYMENT_DELAY_MS": "150", "ACTIVITY_INITIAL_INTERVAL_MS": "100",
            ]
            let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "2.00", stock: 100)
            let first = try WorkerProcess(binary: binary, environment: environment)
            #expect(await first.waitForLog("worker started", timeout: .seconds(30)), "log: \(first.log)")
            #expect(first.log.contains("order-worker: postgres="))

            var handles: [WorkflowHandle] = []
            for index in 0..<50 {
                let input = OrderInput(
                    orderId: WorkerTestDatabase.uniqueId("wt-kill-\(index)"), customerId: "cust-kill",
                    items: [OrderItem(productId: product, productName: "x", quantity: 1, unitPrice: Money(cents: 200))])
                handles.append(
                    try await harness.client.start(
                        workflowType: OrderWorkflowContract.workflowType, id: input.orderId, taskQueue: queue,
                        args: [input]))
            }
            // Kill once some orders are done and others are still in flight.
            let ids = handles.map(\.workflowId)
            let deadline = ContinuousClock.now + .seconds(60)
            while try await completedCount(harness.pool, ids) < 5, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let doneBeforeKill = try await completedCount(harness.pool, ids)
            first.signal(SIGKILL)
            _ = await first.waitForExit(timeout: .seconds(10))
            #expect(
                doneBeforeKill >= 5 && doneBeforeKill < 50, "kill should land mid-flight, \(doneBeforeKill) were done")

            let second = try WorkerProcess(binary: binary, environment: environment)
            defer { second.signal(SIGTERM) }
            var completed = 0
            for handle in handles {
                let result = try await harness.client.result(handle, as: OrderWorkflowResult.self)
                #expect(result.status == .completed)
                if result.status == .completed { completed += 1 }
            }
            #expect(completed == 50)
            let payments = try await harness.pool.query(
                "SELECT order_id, count(*) AS n FROM payments WHERE order_id = ANY($1::text[]) GROUP BY order_id",
                [.textArray(ids)])
            #expect(payments.count == 50)
            #expect(try payments.allSatisfy { try $0.int("n") == 1 })
            let statuses = try await harness.pool.query(
                "SELECT status, count(*) AS n FROM orders WHERE id = ANY($1::text[]) GROUP BY status", [.textArray(ids)]
            )
            #expect(try statuses.map { try "\($0.string("status"))=\($0.int("n"))" } == ["completed=50"])
            #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 50)
            second.signal(SIGTERM)
            #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        }
    }

    private func completedCount(_ pool: PostgresPool, _ ids: [String]) async throws -> Int {
        try await pool.query(
            "SELECT count(*) AS n FROM orders WHERE id = ANY($1::text[]) AND status = 'completed'", [.textArray(ids)]
        ).first?.int("n") ?? 0
    }
}
