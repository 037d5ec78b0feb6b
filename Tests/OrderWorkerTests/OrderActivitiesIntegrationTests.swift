import Logging
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

/// The activity bodies against the real PostgreSQL: each step's rows and status, and that a
/// retry (calling the same step again) changes nothing twice.
@Suite("Order activities on PostgreSQL", .serialized)
struct OrderActivitiesIntegrationTests {
    private func activities(_ pool: PostgresPool, payment: PaymentSettings = PaymentSettings()) -> OrderActivities {
        OrderActivities(
            store: OrderStore(pool: pool), payments: PaymentSimulator(settings: payment, random: { 0.99 }),
            logger: WorkerTestDatabase.logger)
    }

    private func createInput(_ order: OrderInput) -> CreateOrderInput {
        CreateOrderInput(order: order, workflowId: order.orderId, runId: "run-\(order.orderId)")
    }

    @Test func happyPathStepsAreIdempotent() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "12.34", stock: 10)
        let orderId = WorkerTestDatabase.uniqueId("wt-act")
        let order = WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 3)
        let subject = activities(pool)

        let created = try await subject.createOrder(createInput(order))
        #expect(created.total == Money(cents: 3_702))
        #expect(try await subject.createOrder(createInput(order)) == created)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "created")

        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        #expect(try await WorkerTestDatabase.stock(pool, product) == 7)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "inventory_reserved")

        let paid = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: created.total))
        let again = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: created.total))
        #expect(paid.transactionId == PaymentSimulator.transactionId(orderId: orderId))
        #expect(again.transactionId == paid.transactionId)
        #expect(try await WorkerTestDatabase.count(pool, "payments", orderId: orderId) == 1)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "payment_processed")

        let notice = SendNotificationInput(orderId: orderId, kind: .orderCompleted, message: "done")
        #expect(try await subject.sendNotification(notice).status == .completed)
        #expect(try await subject.sendNotification(notice).status == .completed)
        #expect(try await WorkerTestDatabase.count(pool, "notifications", orderId: orderId) == 1)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "completed")
    }

    @Test func compensationsGiveBackExactlyOnce() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-comp")
        let subject = activities(pool)
        let created = try await subject.createOrder(
            createInput(WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)))
        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        _ = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: created.total))

        #expect(try await subject.refundPayment(OrderReference(orderId: orderId)).refunded)
        #expect(try await !subject.refundPayment(OrderReference(orderId: orderId)).refunded)
        #expect(try await subject.releaseInventory(OrderReference(orderId: orderId)).released == 1)
        #expect(try await subject.releaseInventory(OrderReference(orderId: orderId)).released == 0)
        #expect(try await WorkerTestDatabase.stock(pool, product) == 5)

        let cancel = SendNotificationInput(
            orderId: orderId, kind: .orderCancelled, message: "bye", reason: "changed my mind")
        #expect(try await subject.sendNotification(cancel).status == .cancelled)
        #expect(try await subject.sendNotification(cancel).status == .cancelled)
        let row = try #require(
            try await pool.query("SELECT status, failure_reason FROM orders WHERE id = $1", [.string(orderId)]).first)
        #expect(try row.string("status") == "cancelled")
        #expect(try row.optionalString("failure_reason") == "changed my mind")
    }

    @Test func unknownProductIsANonRetryableInvalidProduct() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let orderId = WorkerTestDatabase.uniqueId("wt-inv")
        let order = WorkerTestDatabase.input(orderId: orderId, productId: "NO-SUCH-\(orderId)", quantity: 1)
        do {
            _ = try await activities(pool).createOrder(createInput(order))
            Issue.record("expected InvalidProduct")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "InvalidProduct")
            #expect(failure.nonRetryable)
        }
        // The pending row stays so the workflow can mark it failed.
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "pending")
        let failed = SendNotificationInput(
            orderId: orderId, customerId: "c", kind: .orderFailed, message: "no", reason: "InvalidProduct: x")
        #expect(try await activities(pool).sendNotification(failed).status == .failed)
    }

    @Test func shortStockIsANonRetryableInsufficientInventoryAndTakesNothing() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let plenty = try await WorkerTestDatabase.makeProduct(pool, stock: 50)
        let scarce = try await WorkerTestDatabase.makeProduct(pool, stock: 1)
        let orderId = WorkerTestDatabase.uniqueId("wt-short")
        let order = OrderInput(
            orderId: orderId, customerId: "c",
            items: [
                OrderItem(productId: plenty, productName: "a", quantity: 5, unitPrice: Money(cents: 1)),
                OrderItem(productId: scarce, productName: "b", quantity: 2, unitPrice: Money(cents: 1)),
            ])
        let subject = activities(pool)
        _ = try await subject.createOrder(createInput(order))
        do {
            _ = try await subject.checkInventory(OrderReference(orderId: orderId))
            Issue.record("expected InsufficientInventory")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "InsufficientInventory")
            #expect(failure.nonRetryable)
        }
        #expect(try await WorkerTestDatabase.stock(pool, plenty) == 50)
        #expect(try await WorkerTestDatabase.stock(pool, scarce) == 1)
    }

    @Test func paymentAboveTheLimitIsDeclinedWithoutARow() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "60.00", stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-decl")
        let subject = activities(pool, payment: PaymentSettings(maxAmount: Money(cents: 10_000)))
        let created = try await subject.createOrder(
            createInput(WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)))
        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        do {
            _ = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: created.total))
            Issue.record("expected PaymentDeclined")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "PaymentDeclined")
            #expect(failure.nonRetryable)
        }
        #expect(try await WorkerTestDatabase.count(pool, "payments", orderId: orderId) == 0)
    }

    @Test func unreachableDatabaseIsRetryable() async throws {
        var settings = WorkerTestDatabase.settings
        settings.port = 1
        let pool = PostgresPool(settings: settings, maxConnections: 1, logger: WorkerTestDatabase.logger)
        defer { Task { await pool.close() } }
        do {
            _ = try await activities(pool).checkInventory(OrderReference(orderId: "whatever"))
            Issue.record("expected a failure")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "DatabaseUnavailable")
            #expect(!failure.nonRetryable)
        }
    }
}
