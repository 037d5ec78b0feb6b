import Foundation
import OrderCore
import OrderStore
import TemporalBridge
import Testing

@testable import OrderWorker

/// Parent of every suite that runs workflows on the real Temporal dev server and PostgreSQL, so
/// they run one after another (each with its own worker, task queue and products).
@Suite("OrderWorkflow on Temporal", .serialized)
struct OrderWorkflowIntegration {}

extension OrderWorkflowIntegration {
    @Suite("success and business failures") struct Branches {
        @Test func happyPathCompletesWithCatalogTotalAndEveryRow() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "25.50", stock: 10)
                let handle = try await harness.start(items: [(product, 3)])
                let result = try await harness.result(handle)
                #expect(result.status == .completed)
                #expect(result.total == Money(cents: 7_650))
                #expect(result.transactionId == PaymentSimulator.transactionId(orderId: handle.workflowId))

                let row = try #require(try await harness.orderRow(handle.workflowId))
                #expect(try row.string("status") == "completed")
                #expect(try row.money("total") == Money(cents: 7_650))
                #expect(try row.optionalString("workflow_id") == handle.workflowId)
                #expect(try row.optionalString("run_id") == handle.runId)
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 7)
                let payment = try #require(try await harness.payment(handle.workflowId))
                #expect(try payment.string("status") == "completed")
                #expect(try payment.money("amount") == Money(cents: 7_650))
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_completed"])
                #expect(try await harness.unreleasedReservations(handle.workflowId) == 1)

                #expect(
                    try await harness.scheduledActivities(handle)
                        == ["CreateOrder", "CheckInventory", "ScreenFraud", "ProcessPayment", "SendNotification"])
                let report = try await harness.status(handle)
                #expect(report.status == .completed)
                #expect(report.step == "SendNotification")
                #expect(report.failureReason == nil)
            }
        }

        @Test func unknownProductFailsInvalidProductAfterOneAttempt() async throws {
            try await WorkerHarness.with { harness in
                let handle = try await harness.start(items: [("NO-SUCH-PRODUCT-\(UUID().uuidString)", 1)])
                #expect(try await harness.failureType(handle) == "InvalidProduct")
                #expect(try await harness.startedAttempts(handle)["CreateOrder"] == [1])
                #expect(try await harness.scheduledActivities(handle) == ["CreateOrder", "SendNotification"])
                let row = try #require(try await harness.orderRow(handle.workflowId))
                #expect(try row.string("status") == "failed")
                #expect(try row.optionalString("failure_reason")?.contains("InvalidProduct") == true)
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_failed"])
                #expect(try await harness.status(handle).status == .failed)
            }
        }

        @Test func shortStockFailsInsufficientInventoryLeavingStockUntouched() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 2)
                let handle = try await harness.start(items: [(product, 5)])
                #expect(try await harness.failureType(handle) == "InsufficientInventory")
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 2)
                #expect(try await harness.startedAttempts(handle)["CheckInventory"] == [1])
                let row = try #require(try await harness.orderRow(handle.workflowId))
                #expect(try row.string("status") == "failed")
                #expect(try row.optionalString("failure_reason")?.contains("InsufficientInventory") == true)
                #expect(try await harness.payment(handle.workflowId) == nil)
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_failed"])
            }
        }

        @Test func paymentAboveTheLimitIsDeclinedAndStockRestored() async throws {
            try await WorkerHarness.with(environment: ["PAYMENT_MAX_AMOUNT": "50.00"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "30.00", stock: 10)
                let handle = try await harness.start(items: [(product, 2)])
                #expect(try await harness.failureType(handle) == "PaymentDeclined")
                #expect(try await harness.startedAttempts(handle)["ProcessPayment"] == [1])
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 10)
                #expect(try await harness.unreleasedReservations(handle.workflowId) == 0)
                #expect(try await harness.payment(handle.workflowId) == nil)
                #expect(
                    try await harness.scheduledActivities(handle)
                        == [
                            "CreateOrder", "CheckInventory", "ScreenFraud", "ProcessPayment", "ReleaseInventory",
                            "SendNotification",
                        ])
                let row = try #require(try await harness.orderRow(handle.workflowId))
                #expect(try row.string("status") == "failed")
                #expect(try row.optionalString("failure_reason")?.contains("PaymentDeclined") == true)
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_failed"])
            }
        }

        @Test func transientPaymentFailuresAreRetriedIntoExactlyOnePayment() async throws {
            // Enough attempts that 0.5 failures cannot plausibly exhaust them (0.5^30).
            let environment = [
                "PAYMENT_FAILURE_RATE": "0.5", "ACTIVITY_MAX_ATTEMPTS": "30", "ACTIVITY_INITIAL_INTERVAL_MS": "20",
            ]
            try await WorkerHarness.with(environment: environment) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "5.00", stock: 10)
                var handles: [WorkflowHandle] = []
                for _ in 0..<4 { handles.append(try await harness.start(items: [(product, 1)])) }
                var paymentAttempts = 0
                for handle in handles {
                    #expect(try await harness.result(handle).status == .completed)
                    #expect(
                        try await WorkerTestDatabase.count(harness.pool, "payments", orderId: handle.workflowId) == 1)
                    paymentAttempts += try await harness.startedAttempts(handle)["ProcessPayment"]?.max() ?? 0
                }
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 6)
                // Four payments at 50 % failure: more than four attempts in all, except with probability 1/16.
                print("transient payment test: \(paymentAttempts) final attempt numbers over 4 orders")
            }
        }
    }
}
