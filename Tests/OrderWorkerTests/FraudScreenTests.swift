import Foundation
import Logging
import OrderCore
import OrderStore
import PostgresClient
import TemporalBridge
import Testing

@testable import OrderWorker

/// ScreenFraud against the real PostgreSQL: a customer's orders within the window count, this
/// one included; failed or cancelled orders and later ones do not; over either limit the order
/// fails non-retryable `FraudSuspected`.
@Suite("fraud screen", .serialized)
struct FraudScreenTests {
    private func activities(_ pool: PostgresPool, _ fraud: FraudSettings) -> OrderActivities {
        var activities = OrderActivities(
            store: OrderStore(pool: pool),
            payments: PaymentSimulator(
                settings: PaymentSettings(), ledger: PaymentProviderLedger(pool: pool), random: { 0.99 }),
            logger: WorkerTestDatabase.logger)
        activities.fraud = fraud
        return activities
    }

    /// Creates an order of `customer` (status `created`) for one unit of `product`.
    private func order(
        _ subject: OrderActivities, customer: String, product: String, quantity: Int = 1
    ) async throws -> ScreenFraudInput {
        let orderId = WorkerTestDatabase.uniqueId("wt-fraud")
        let input = OrderInput(
            orderId: orderId, customerId: customer,
            items: [OrderItem(productId: product, productName: "x", quantity: quantity, unitPrice: Money(cents: 1))])
        let created = try await subject.createOrder(CreateOrderInput(order: input, workflowId: orderId, runId: "r"))
        return ScreenFraudInput(orderId: orderId, customerId: customer, amount: created.total)
    }

    private func fraudType(_ body: () async throws -> ScreenFraudResult) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch let failure as ApplicationFailure {
            #expect(failure.nonRetryable)
            return failure.type
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func theOrderOverTheCountLimitIsDeclinedAndOnlyOrdersBeforeItCount() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "10.00", stock: 100)
        let customer = WorkerTestDatabase.uniqueId("cust-fraud")
        let subject = activities(pool, FraudSettings(maxOrders: 2, maxAmount: Money(cents: 1_000_000)))
        let first = try await order(subject, customer: customer, product: product)
        let second = try await order(subject, customer: customer, product: product)
        let third = try await order(subject, customer: customer, product: product)

        #expect(try await subject.screenFraud(first).recentOrders == 1)
        #expect(try await subject.screenFraud(second).recentOrders == 2)
        #expect(await fraudType { try await subject.screenFraud(third) } == "FraudSuspected")
        // A retry of an earlier screen decides the same, whatever came after it.
        #expect(try await subject.screenFraud(first).recentOrders == 1)
        // A failed order does not count against the customer.
        _ = try await OrderStore(pool: pool).failOrder(orderId: second.orderId, reason: "test")
        #expect(try await subject.screenFraud(third).recentOrders == 2)
        // Another customer is not affected.
        let other = try await order(subject, customer: customer + "-other", product: product)
        #expect(try await subject.screenFraud(other).recentOrders == 1)
    }

    @Test func theOrderGoingOverTheAmountLimitIsDeclined() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "40.00", stock: 100)
        let customer = WorkerTestDatabase.uniqueId("cust-fraud")
        let subject = activities(pool, FraudSettings(maxOrders: 100, maxAmount: Money(cents: 10_000)))
        let first = try await order(subject, customer: customer, product: product, quantity: 2)
        let second = try await order(subject, customer: customer, product: product, quantity: 1)
        #expect(try await subject.screenFraud(first).recentAmount == Money(cents: 8_000))
        #expect(await fraudType { try await subject.screenFraud(second) } == "FraudSuspected")
    }

    @Test func aSuspectedOrderFailsReleasingItsStockWithoutPayment() async throws {
        try await WorkerHarness.with(environment: ["FRAUD_VELOCITY_MAX_AMOUNT": "5.00"]) { harness in
            let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "6.00", stock: 4)
            let handle = try await harness.start(items: [(product, 1)])
            #expect(try await harness.failureType(handle) == "FraudSuspected")
            #expect(
                try await harness.scheduledActivities(handle)
                    == ["CreateOrder", "CheckInventory", "ScreenFraud", "ReleaseInventory", "SendNotification"])
            #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 4)
            #expect(try await harness.payment(handle.workflowId) == nil)
            let row = try #require(try await harness.orderRow(handle.workflowId))
            #expect(try row.string("status") == "failed")
            #expect(try row.optionalString("failure_reason")?.hasPrefix("FraudSuspected") == true)
            #expect(try await harness.notificationKinds(handle.workflowId) == ["order_failed"])
        }
    }

    @Test func theOldBuildNeverScreensAndRecordsNoMarker() async throws {
        try await WorkerHarness.with(environment: ["FRAUD_SCREEN": "off", "FRAUD_VELOCITY_MAX_AMOUNT": "5.00"]) {
            harness in
            let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "6.00", stock: 4)
            let handle = try await harness.start(items: [(product, 1)])
            #expect(try await harness.result(handle).status == .completed)
            #expect(!(try await harness.scheduledActivities(handle)).contains("ScreenFraud"))
            #expect(!(try await harness.client.history(handle)).contains { $0.eventType == .markerRecorded })
        }
    }
}
