import Foundation
import OrderCore
import OrderStore
import PostgresClient
import TemporalBridge
import TestSupport
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    /// Runs every path of OrderWorkflow on the dev server and replays each fresh history against
    /// the current code; with `ORDERFLOW_RECORD_FIXTURES=1` it also stores them as the fixtures
    /// `ReplayFixtureTests` replays on every build.
    ///
    /// The paths from before the fraud screen run with `FRAUD_SCREEN=off`, which is that code path
    /// exactly (the patch is never reached); their fixtures stand for the runs an older build left.
    @Suite("replay of recorded histories") struct ReplayRecording {
        static let record = ProcessInfo.processInfo.environment["ORDERFLOW_RECORD_FIXTURES"] == "1"
        static let oldBuild = ["FRAUD_SCREEN": "off"]

        private func replayAndMaybeStore(_ harness: WorkerHarness, _ handle: WorkflowHandle, as name: String)
            async throws
        {
            let json = try await CommandLineTool.historyJSON(
                workflowId: handle.workflowId, address: harness.config.temporal.hostPort)
            try ReplayFixtures.replayer.replay(json: json)
            if Self.record {
                try json.write(to: ReplayFixtures.url(name))
            }
        }

        private func cancel(_ harness: WorkerHarness, _ handle: WorkflowHandle, reason: String) async throws {
            try await harness.client.signal(
                handle, name: OrderWorkflowContract.cancelSignal, args: [CancelOrderRequest(reason: reason)])
            try await harness.waitForEvent(handle, .workflowExecutionSignaled)
        }

        // MARK: completed and failed

        @Test func happyPathHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-happy"), items: [(product, 2)])
                _ = try await harness.result(handle)
                _ = try await harness.status(handle)
                try await replayAndMaybeStore(harness, handle, as: "happy")
            }
        }

        @Test func declinedHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild.merging(["PAYMENT_MAX_AMOUNT": "1.00"]) { $1 }) {
                harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-declined"), items: [(product, 1)])
                #expect(try await harness.failureType(handle) == "PaymentDeclined")
                try await replayAndMaybeStore(harness, handle, as: "declined")
            }
        }

        @Test func invalidProductHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-invalid-product"),
                    items: [(WorkerTestDatabase.uniqueId("NO-SUCH-PRODUCT"), 1)])
                #expect(try await harness.failureType(handle) == "InvalidProduct")
                try await replayAndMaybeStore(harness, handle, as: "invalid-product")
            }
        }

        @Test func insufficientInventoryHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 1)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-short-stock"), items: [(product, 2)])
                #expect(try await harness.failureType(handle) == "InsufficientInventory")
                try await replayAndMaybeStore(harness, handle, as: "insufficient-inventory")
            }
        }

        @Test func invalidOrderHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-invalid-order"), items: [(product, 0)])
                #expect(try await harness.failureType(handle) == "InvalidOrder")
                try await replayAndMaybeStore(harness, handle, as: "invalid-order")
            }
        }

        // MARK: the cancelOrder signal at each step

        @Test func cancelBeforeTheFirstStepHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let orderId = WorkerTestDatabase.uniqueId("fixture-cancel-start")
                let handle = try await harness.client.signalWithStart(
                    workflowType: OrderWorkflowContract.workflowType, id: orderId, taskQueue: harness.taskQueue,
                    args: [WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 1)],
                    signal: OrderWorkflowContract.cancelSignal, signalArgs: [CancelOrderRequest(reason: "fixture")])
                #expect(try await harness.result(handle).status == .cancelled)
                try await replayAndMaybeStore(harness, handle, as: "cancel-before-start")
            }
        }

        @Test func cancelDuringCreateOrderHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let orderId = WorkerTestDatabase.uniqueId("fixture-cancel-create")
                // The pending row the API would have written; locked, CreateOrder cannot finish.
                try await harness.pool.execute(
                    "INSERT INTO orders (id, customer_id, status) VALUES ($1, 'cust-worker-test', 'pending')",
                    [.string(orderId)])
                let handle = try await harness.holdingLock("SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", orderId) {
                    let handle = try await harness.start(orderId: orderId, items: [(product, 1)])
                    _ = try await harness.waitForStatus(handle) { $0.step == "CreateOrder" }
                    try await cancel(harness, handle, reason: "fixture")
                    return handle
                }
                #expect(try await harness.result(handle).status == .cancelled)
                try await replayAndMaybeStore(harness, handle, as: "cancel-create-order")
            }
        }

        @Test func cancelDuringCheckInventoryHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-cancel-inventory"), items: [(product, 1)])
                try await harness.holdingProductLock(product) {
                    _ = try await harness.waitForStatus(handle) { $0.step == "CheckInventory" }
                    try await cancel(harness, handle, reason: "fixture")
                }
                #expect(try await harness.result(handle).status == .cancelled)
                try await replayAndMaybeStore(harness, handle, as: "cancel-check-inventory")
            }
        }

        @Test func cancelledHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild.merging(["PAYMENT_DELAY_MS": "1000"]) { $1 }) {
                harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-cancelled"), items: [(product, 1)])
                _ = try await harness.waitForStatus(handle) { $0.step == "ProcessPayment" }
                try await cancel(harness, handle, reason: "fixture")
                #expect(try await harness.result(handle).status == .cancelled)
                try await replayAndMaybeStore(harness, handle, as: "cancelled")
            }
        }

        @Test func cancelDuringTheCompletionNoticeHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild.merging(["PAYMENT_DELAY_MS": "1000"]) { $1 }) {
                harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-cancel-notice"), items: [(product, 1)])
                _ = try await harness.waitForStatus(handle) { $0.step == "ProcessPayment" }
                // Taken while the payment is being made: the completion notice cannot be written,
                // so the signal lands while SendNotification is in flight — and changes nothing.
                try await harness.holdingLock("LOCK TABLE notifications IN SHARE ROW EXCLUSIVE MODE") {
                    _ = try await harness.waitForStatus(handle) { $0.step == "SendNotification" }
                    try await cancel(harness, handle, reason: "fixture")
                }
                #expect(try await harness.result(handle).status == .completed)
                try await replayAndMaybeStore(harness, handle, as: "cancel-during-notification")
            }
        }

        // MARK: Temporal's own cancel, and reset

        @Test func temporalCancelHistoryReplays() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-temporal-cancel"), items: [(product, 1)])
                try await harness.holdingProductLock(product) {
                    _ = try await harness.waitForStatus(handle) { $0.step == "CheckInventory" }
                    try await harness.client.requestCancel(handle, reason: "fixture")
                    try await harness.waitForEvent(handle, .workflowExecutionCancelRequested)
                }
                await #expect(throws: WorkflowClientError.workflowCanceled) { try await harness.result(handle) }
                try await replayAndMaybeStore(harness, handle, as: "temporal-cancel")
            }
        }

        /// `temporal workflow reset --type FirstWorkflowTask` of a completed order runs it again to
        /// Completed: every step finds its own work done (idempotent by order id), so nothing is
        /// charged, reserved or notified twice, and no workflow task fails. Returns the new run.
        private func resetCompletedOrder(_ harness: WorkerHarness) async throws -> WorkflowHandle {
            let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
            let orderId = WorkerTestDatabase.uniqueId("fixture-reset")
            let first = try await harness.start(orderId: orderId, items: [(product, 2)])
            let before = try await harness.result(first)
            #expect(before.status == .completed)
            let transactionId = try #require(try await harness.payment(orderId)?.string("transaction_id"))

            let reset = try await CommandLineTool.run([
                TemporalCLI.path, "workflow", "reset", "--workflow-id", orderId, "--type", "FirstWorkflowTask",
                "--reason", "replay fixture", "--address", harness.config.temporal.hostPort,
            ])
            #expect(reset.status == 0, "temporal workflow reset: \(reset.stderr) \(reset.text)")
            let current = WorkflowHandle(workflowId: orderId, runId: "")
            let after = try await harness.result(current)
            #expect(after.status == .completed)
            #expect(after.transactionId == before.transactionId)

            #expect(try await WorkerTestDatabase.count(harness.pool, "payments", orderId: orderId) == 1)
            #expect(try await harness.payment(orderId)?.string("transaction_id") == transactionId)
            #expect(try await WorkerTestDatabase.count(harness.pool, "inventory_reservations", orderId: orderId) == 1)
            #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 3)
            #expect(try await harness.notificationKinds(orderId) == ["order_completed"])
            #expect(try await harness.orderRow(orderId)?.string("status") == "completed")

            let history = try await harness.client.history(current)
            #expect(history.first?.workflowExecutionStartedEventAttributes.originalExecutionRunID == first.runId)
            // The reset point itself is a WorkflowTaskFailed the server writes (cause ResetWorkflow);
            // the worker failed none.
            let failures = history.filter { $0.eventType == .workflowTaskFailed }
            #expect(failures.map(\.workflowTaskFailedEventAttributes.cause) == [.resetWorkflow])
            #expect(history.last?.eventType == .workflowExecutionCompleted)
            return current
        }

        @Test func resetOfACompletedOrderRunsAgainWithoutDoingAnythingTwice() async throws {
            try await WorkerHarness.with(environment: Self.oldBuild) { harness in
                let run = try await resetCompletedOrder(harness)
                try await replayAndMaybeStore(harness, run, as: "reset")
            }
        }

        @Test func resetOnTheNewBuildScreensAndStillDoesNothingTwice() async throws {
            try await WorkerHarness.with { harness in
                let run = try await resetCompletedOrder(harness)
                #expect(try await harness.scheduledActivities(run).contains("ScreenFraud"))
                try await replayAndMaybeStore(harness, run, as: "reset-screened")
            }
        }

        // MARK: after the fraud-screen patch

        @Test func screenedHistoryReplays() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-screened"), items: [(product, 1)])
                #expect(try await harness.result(handle).status == .completed)
                #expect(
                    try await harness.scheduledActivities(handle)
                        == ["CreateOrder", "CheckInventory", "ScreenFraud", "ProcessPayment", "SendNotification"])
                try await replayAndMaybeStore(harness, handle, as: "screened")
            }
        }

        @Test func fraudSuspectedHistoryReplays() async throws {
            try await WorkerHarness.with(environment: ["FRAUD_VELOCITY_MAX_AMOUNT": "1.00"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-fraud"), items: [(product, 1)])
                #expect(try await harness.failureType(handle) == "FraudSuspected")
                try await replayAndMaybeStore(harness, handle, as: "fraud-suspected")
            }
        }
    }
}

extension WorkerHarness {
    /// Runs `body` inside a transaction of its own that first ran `lockStatement` (a row or table
    /// lock): the step that needs what it locks cannot finish until `body` returns.
    func holdingLock<T: Sendable>(
        _ lockStatement: String, _ parameter: String? = nil, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let lockPool = PostgresPool(
            settings: WorkerTestDatabase.settings, maxConnections: 1, logger: WorkerTestDatabase.logger)
        defer { Task { await lockPool.close() } }
        return try await lockPool.withTransaction { transaction in
            _ = try await transaction.query(lockStatement, parameter.map { [.string($0)] } ?? [])
            return try await body()
        }
    }
}
