import Foundation
import OrderCore
import OrderStore
import PostgresClient
import TemporalBridge
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    /// A payment provider that answers after the attempt has timed out, on the real Temporal server: the first
    /// ProcessPayment attempt's request stays with the provider past the 1.5 s start-to-close (until the order has completed), the server retries,
    /// the retry charges and the order completes; then the late request reaches the provider and finds the key.
    @Suite("late payment attempts") struct LatePaymentAttempts {
        @Test func aLateAttemptChargesNothingAndTheOrderCompletesOnce() async throws {
            let pool = try await WorkerTestDatabase.pool()
            defer { Task { await pool.close() } }
            let config = try OrderFlowConfig()
            let connection = try TemporalConnection(
                options: OrderWorkerAssembly.connectionOptions(config.temporal), logger: WorkerTestDatabase.logger)
            try await OrderWorkerAssembly.probe(connection, namespace: config.temporal.namespace)
            let client = WorkflowClient(connection: connection)
            let taskQueue = WorkerTestDatabase.uniqueId("wtest-late-q")

            // The first request stays with the provider until the test lets it go, after the order completed.
            let requests = RequestCounter()
            let letLateGo = RequestCounter()
            let ledger = PaymentProviderLedger(pool: pool)
            let activities = OrderActivities(
                store: OrderStore(pool: pool),
                payments: PaymentSimulator(
                    settings: PaymentSettings(), ledger: ledger, random: { 0.99 },
                    processing: {
                        if requests.next() == 1 { try? await letLateGo.wait(until: 1, within: .seconds(60)) }
                    }),
                logger: WorkerTestDatabase.logger)
            let settings = ActivitySettings(
                initialInterval: .milliseconds(100), startToCloseTimeout: .milliseconds(1500))
            let worker = Worker(
                connection: connection, taskQueue: taskQueue, workflows: [OrderWorkflow(settings: settings).definition],
                activities: activities.definitions, logger: WorkerTestDatabase.logger)
            let running = Task { try await worker.run() }
            do {
                try await runOrder(
                    client: client, pool: pool, ledger: ledger, requests: requests, letLateGo: letLateGo,
                    taskQueue: taskQueue)
            } catch {
                _ = letLateGo.next()
                worker.shutdown()
                _ = try? await running.value
                throw error
            }
            worker.shutdown()
            _ = try? await running.value
        }

        private func runOrder(
            client: WorkflowClient, pool: PostgresPool, ledger: PaymentProviderLedger, requests: RequestCounter,
            letLateGo: RequestCounter, taskQueue: String
        ) async throws {
            let product = try await WorkerTestDatabase.makeProduct(pool, price: "30.00", stock: 4)
            let orderId = WorkerTestDatabase.uniqueId("wt-late-order")
            let handle = try await client.start(
                workflowType: OrderWorkflowContract.workflowType, id: orderId, taskQueue: taskQueue,
                args: [
                    OrderInput(
                        orderId: orderId, customerId: "cust-late",
                        items: [
                            OrderItem(productId: product, productName: "x", quantity: 1, unitPrice: Money(cents: 1))
                        ])
                ])
            let result = try await client.result(handle, as: OrderWorkflowResult.self)
            let key = PaymentSimulator.transactionId(orderId: orderId)
            #expect(result.status == .completed)
            #expect(result.transactionId == key)
            // One request per attempt: the late first one, the retry that charged (and more on a slow machine).
            let sent = requests.value
            #expect(sent >= 2)

            // The late request is still with the provider: the retry's charge is booked without it.
            #expect(try await ledger.entry(idempotencyKey: key)?.chargeRequests == sent - 1)
            _ = letLateGo.next()
            let deadline = ContinuousClock.now + .seconds(10)
            while try await ledger.entry(idempotencyKey: key)?.chargeRequests != sent {
                guard ContinuousClock.now < deadline else {
                    Issue.record("the late request never reached the provider")
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let entry = try #require(try await ledger.entry(idempotencyKey: key))
            #expect(entry.status == .charged)
            #expect(entry.amount == Money(cents: 3_000))
            let charges = try await pool.query(
                "SELECT count(*) AS n FROM provider_charges WHERE idempotency_key = $1", [.string(key)])
            #expect(try charges.first?.int("n") == 1, "exactly one charge in the provider's ledger")
            #expect(try await WorkerTestDatabase.count(pool, "payments", orderId: orderId) == 1)
            #expect(try await WorkerTestDatabase.status(pool, orderId) == "completed")
        }
    }
}
