import Foundation
import Logging
import OrderCore
import OrderStore
import PostgresClient
import Synchronization
import TemporalBridge
import Testing

@testable import OrderWorker

/// The activity bodies against the real PostgreSQL: each step's rows and status, and that a
/// retry (calling the same step again) changes nothing twice.
@Suite("Order activities on PostgreSQL", .serialized)
struct OrderActivitiesIntegrationTests {
    private func activities(_ pool: PostgresPool, payment: PaymentSettings = PaymentSettings()) -> OrderActivities {
        OrderActivities(
            store: OrderStore(pool: pool),
            payments: PaymentSimulator(
                settings: payment, ledger: PaymentProviderLedger(pool: pool), random: { 0.99 }),
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

    /// The first ProcessPayment attempt's request stays with the provider past its timeout; the retry charges;
    /// then the late request reaches the provider's ledger, finds the key and gets the retry's charge back.
    @Test func aLatePaymentAttemptFindsTheKeyAndChargesNothing() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let (orderId, total) = try await reservedOrder(pool)
        let requests = RequestCounter()
        let ledger = PaymentProviderLedger(pool: pool)
        let subject = OrderActivities(
            store: OrderStore(pool: pool),
            payments: PaymentSimulator(
                settings: PaymentSettings(), ledger: ledger, random: { 0.99 },
                processing: { if requests.next() == 1 { try? await Task.sleep(for: .milliseconds(1500)) } }),
            logger: WorkerTestDatabase.logger)
        let input = ProcessPaymentInput(orderId: orderId, amount: total)
        let key = PaymentSimulator.transactionId(orderId: orderId)

        let late = Task { try await subject.processPayment(input) }
        try await requests.wait(until: 1)
        #expect(try await intents(pool, orderId) == 1, "the intent is on record before the provider is asked")
        let retry = try await subject.processPayment(input)
        #expect(retry.transactionId == key)
        #expect(try await ledger.entry(idempotencyKey: key)?.chargeRequests == 1)

        let lateResult = try await late.value
        #expect(lateResult.transactionId == key)
        let entry = try #require(try await ledger.entry(idempotencyKey: key))
        #expect(entry.chargeRequests == 2, "the late request reached the provider")
        #expect(entry.status == .charged)
        #expect(entry.amount == total)
        #expect(try await charges(pool, key) == 1, "exactly one charge in the provider's ledger")
        #expect(try await WorkerTestDatabase.count(pool, "payments", orderId: orderId) == 1)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "payment_processed")
    }

    /// The workflow gave up on ProcessPayment and compensated while the first attempt's request was still with
    /// the provider: the refund voids the key, so the late request charges nothing.
    @Test func aRefundBeforeALateChargeVoidsTheKey() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let (orderId, total) = try await reservedOrder(pool)
        let requests = RequestCounter()
        let ledger = PaymentProviderLedger(pool: pool)
        let subject = OrderActivities(
            store: OrderStore(pool: pool),
            payments: PaymentSimulator(
                settings: PaymentSettings(), ledger: ledger, random: { 0.99 },
                processing: { if requests.next() == 1 { try? await Task.sleep(for: .milliseconds(1000)) } }),
            logger: WorkerTestDatabase.logger)
        let key = PaymentSimulator.transactionId(orderId: orderId)

        let late = Task { try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: total)) }
        try await requests.wait(until: 1)
        #expect(try await subject.refundPayment(OrderReference(orderId: orderId)).refunded == false)
        #expect(try await subject.refundPayment(OrderReference(orderId: orderId)).refunded == false)
        do {
            _ = try await late.value
            Issue.record("the late attempt charged a voided key")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "PaymentVoided")
            #expect(failure.nonRetryable)
        }
        let entry = try #require(try await ledger.entry(idempotencyKey: key))
        #expect(entry.status == .voided)
        #expect(entry.amount == .zero)
        #expect(try await WorkerTestDatabase.count(pool, "payments", orderId: orderId) == 0)
    }

    /// A refund after a charge returns the money once, however often the compensation runs.
    @Test func refundsAreIdempotentAtTheProvider() async throws {
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let (orderId, total) = try await reservedOrder(pool)
        let subject = activities(pool)
        let key = PaymentSimulator.transactionId(orderId: orderId)
        _ = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: total))
        #expect(try await subject.refundPayment(OrderReference(orderId: orderId)).refunded)
        #expect(try await subject.refundPayment(OrderReference(orderId: orderId)).refunded == false)
        let entry = try #require(try await PaymentProviderLedger(pool: pool).entry(idempotencyKey: key))
        #expect(entry.status == .refunded)
        #expect(entry.amount == total)
        let refundedAt = try await pool.query(
            "SELECT count(*) AS n FROM provider_charges WHERE idempotency_key = $1 AND refunded_at IS NOT NULL",
            [.string(key)])
        #expect(try refundedAt.first?.int("n") == 1)
    }

    private func reservedOrder(_ pool: PostgresPool) async throws -> (orderId: String, total: Money) {
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "25.00", stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-late")
        let created = try await activities(pool).createOrder(
            createInput(WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)))
        _ = try await activities(pool).checkInventory(OrderReference(orderId: orderId))
        return (orderId, created.total)
    }

    private func intents(_ pool: PostgresPool, _ orderId: String) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM payment_intents WHERE order_id = $1", [.string(orderId)])
            .first?.int("n") ?? -1
    }

    private func charges(_ pool: PostgresPool, _ key: String) async throws -> Int {
        try await pool.query(
            "SELECT count(*) AS n FROM provider_charges WHERE idempotency_key = $1", [.string(key)]
        ).first?.int("n") ?? -1
    }

    /// A PostgreSQL backend frozen in the middle of an activity's transaction (SIGSTOP: the server's kernel still
    /// ACKs, so neither keepalives nor the server's own statement_timeout can end the wait) fails the attempt
    /// retryably within the statement bound, well inside the 10 s start-to-close, having changed nothing; the
    /// retry after SIGCONT succeeds.
    @Test func frozenBackendMidTransactionFailsTheActivityRetryablyWithinTheBound() async throws {
        let setup = try await WorkerTestDatabase.pool()
        defer { Task { await setup.close() } }
        let product = try await WorkerTestDatabase.makeProduct(setup, stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-frozen")
        _ = try await activities(setup).createOrder(
            createInput(WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)))

        var settings = WorkerTestDatabase.settings
        // The lock wait below must outlast the freeze's setup; the statement bound is what is tested.
        settings.limits = PostgresConnectionLimits(statementTimeout: .seconds(2), lockTimeout: .seconds(30))
        let bound = try #require(settings.limits.answerTimeout)
        let pool = PostgresPool(settings: settings, maxConnections: 1, logger: WorkerTestDatabase.logger)
        defer { Task { await pool.close() } }
        let subject = activities(pool)
        let backend = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))

        // CheckInventory's UPDATE waits for the product row, so its transaction is open when the backend stops.
        let lockHeld = RequestCounter()
        let release = RequestCounter()
        let holder = Task {
            try await setup.withTransaction { transaction in
                try await transaction.query("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", [.string(product)])
                _ = lockHeld.next()
                try await release.wait(until: 1, within: .seconds(30))
            }
        }
        try await lockHeld.wait(until: 1)
        let clock = ContinuousClock()
        let started = clock.now
        let attempt = Task { try await subject.checkInventory(OrderReference(orderId: orderId)) }
        var waiting = false
        while !waiting, clock.now - started < .seconds(5) {
            let event = try await setup.query(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [.int(backend)]
            ).first?.optionalString("wait_event_type")
            waiting = event == "Lock"
            if !waiting { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(waiting, "CheckInventory never waited for the product lock")
        #expect(kill(pid_t(backend), SIGSTOP) == 0, "cannot stop backend \(backend) (run as root or postgres)")
        var thawed = false
        defer { if !thawed { kill(pid_t(backend), SIGCONT) } }
        _ = release.next()
        try await holder.value

        do {
            _ = try await attempt.value
            Issue.record("CheckInventory finished against a frozen backend")
        } catch let failure as ApplicationFailure {
            #expect(failure.type == "DatabaseUnavailable")
            #expect(!failure.nonRetryable)
        }
        let waited = clock.now - started
        #expect(waited >= bound - .milliseconds(100), "gave up after \(waited), before the bound \(bound)")
        #expect(waited < bound + .seconds(2), "the attempt failed only after \(waited)")
        #expect(waited < ActivitySettings().startToCloseTimeout, "the attempt outlived its start-to-close")

        kill(pid_t(backend), SIGCONT)
        thawed = true
        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        #expect(
            try await WorkerTestDatabase.stock(setup, product) == 3, "reserved once: the frozen attempt rolled back")
        #expect(try await WorkerTestDatabase.status(setup, orderId) == "inventory_reserved")
    }

    /// A backend frozen while its connection is idle costs the next activity one bound: BEGIN, which has run
    /// nothing, goes again on a fresh connection and the attempt completes, inside its start-to-close.
    @Test func frozenIdleBackendCostsOneBoundThenAFreshConnectionServes() async throws {
        let setup = try await WorkerTestDatabase.pool()
        defer { Task { await setup.close() } }
        let product = try await WorkerTestDatabase.makeProduct(setup, stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-frozen-idle")
        _ = try await activities(setup).createOrder(
            createInput(WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)))

        var settings = WorkerTestDatabase.settings
        settings.limits = PostgresConnectionLimits(statementTimeout: .seconds(2))
        let bound = try #require(settings.limits.answerTimeout)
        let pool = PostgresPool(settings: settings, maxConnections: 1, logger: WorkerTestDatabase.logger)
        defer { Task { await pool.close() } }
        let backend = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
        #expect(kill(pid_t(backend), SIGSTOP) == 0, "cannot stop backend \(backend) (run as root or postgres)")
        defer { kill(pid_t(backend), SIGCONT) }

        let clock = ContinuousClock()
        let started = clock.now
        _ = try await activities(pool).checkInventory(OrderReference(orderId: orderId))
        let waited = clock.now - started
        #expect(waited >= bound - .milliseconds(100))
        #expect(waited < bound + .seconds(2), "took \(waited)")
        #expect(try await WorkerTestDatabase.stock(setup, product) == 3)
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

/// Counts events (requests to the simulated provider, steps of a test); a test waits for the n-th.
final class RequestCounter: Sendable {
    private let count = Mutex(0)

    /// Counts one event and returns its number (1-based).
    func next() -> Int {
        count.withLock {
            $0 += 1
            return $0
        }
    }

    var value: Int { count.withLock { $0 } }

    func wait(until target: Int, within limit: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + limit
        while value < target {
            guard ContinuousClock.now < deadline else {
                throw ServiceUnreachable("the provider saw \(value) requests, expected \(target)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
