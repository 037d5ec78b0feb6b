import Foundation
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    @Suite("cancellation") struct Cancellation {
        @Test func cancelBeforePaymentReleasesStockAndChargesNothing() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 10)
                let handle = try await harness.start(items: [(product, 4)])
                // CheckInventory cannot finish while the product row is locked: the signal lands
                // while it is in flight and takes effect when it returns.
                try await harness.holdingProductLock(product) {
                    try await harness.waitForStatus(handle) { $0.step == "CheckInventory" }
                    try await harness.client.signal(
                        handle, name: OrderWorkflowContract.cancelSignal,
                        args: [CancelOrderRequest(reason: "changed my mind")])
                    try await harness.waitForEvent(handle, .workflowExecutionSignaled)
                }
                let result = try await harness.result(handle)
                #expect(result.status == .cancelled)
                #expect(result.reason == "changed my mind")
                #expect(result.refunded == false)
                #expect(result.inventoryReleased == true)
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 10)
                #expect(try await harness.payment(handle.workflowId) == nil)
                #expect(
                    try await harness.scheduledActivities(handle)
                        == ["CreateOrder", "CheckInventory", "ReleaseInventory", "SendNotification"])
                let row = try #require(try await harness.orderRow(handle.workflowId))
                #expect(try row.string("status") == "cancelled")
                #expect(try row.optionalString("failure_reason") == "changed my mind")
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_cancelled"])
            }
        }

        @Test func cancelBeforeTheFirstStepRecordsACancelledOrder() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 10)
                let orderId = WorkerTestDatabase.uniqueId("wt-early")
                let input = WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 1)
                // The signal is in the run's first workflow task: no step has run yet.
                let handle = try await harness.client.signalWithStart(
                    workflowType: OrderWorkflowContract.workflowType, id: orderId, taskQueue: harness.taskQueue,
                    args: [input],
                    signal: OrderWorkflowContract.cancelSignal, signalArgs: [CancelOrderRequest(reason: "too quick")])
                let result = try await harness.result(handle)
                #expect(result.status == .cancelled)
                #expect(try await harness.scheduledActivities(handle) == ["SendNotification"])
                #expect(try await harness.orderRow(orderId)?.string("status") == "cancelled")
                #expect(try await harness.notificationKinds(orderId) == ["order_cancelled"])
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 10)
            }
        }

        @Test func cancelDuringPaymentRefundsAndRestoresStock() async throws {
            try await WorkerHarness.with(environment: ["PAYMENT_DELAY_MS": "1500"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "7.25", stock: 10)
                let handle = try await harness.start(items: [(product, 2)])
                try await harness.waitForStatus(handle) { $0.step == "ProcessPayment" }
                try await harness.client.signal(handle, name: OrderWorkflowContract.cancelSignal)
                let result = try await harness.result(handle)
                #expect(result.status == .cancelled)
                #expect(result.refunded == true)
                let payment = try #require(try await harness.payment(handle.workflowId))
                #expect(try payment.string("status") == "refunded")
                #expect(try payment.optionalDate("refunded_at") != nil)
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 10)
                #expect(
                    try await harness.scheduledActivities(handle)
                        == [
                            "CreateOrder", "CheckInventory", "ScreenFraud", "ProcessPayment", "RefundPayment",
                            "ReleaseInventory", "SendNotification",
                        ])
                #expect(try await harness.orderRow(handle.workflowId)?.string("status") == "cancelled")
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_cancelled"])
            }
        }

        @Test func cancelAfterCompletionChangesNothing() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 10)
                let handle = try await harness.start(items: [(product, 1)])
                #expect(try await harness.result(handle).status == .completed)
                // The run is closed: the server refuses the signal, and nothing in the database moves.
                await #expect(throws: (any Error).self) {
                    try await harness.client.signal(handle, name: OrderWorkflowContract.cancelSignal)
                }
                #expect(try await harness.orderRow(handle.workflowId)?.string("status") == "completed")
                #expect(try await harness.payment(handle.workflowId)?.string("status") == "completed")
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 9)
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_completed"])
            }
        }

        @Test func signalDuringTheCompletionNoticeIsIgnored() async throws {
            // Unit-level: once the order is completed the signal handler leaves the state alone.
            let state = OrderWorkflowState(order: OrderInput(orderId: "o", customerId: "c", items: []))
            state.reached(.completed)
            state.requestCancellation(reason: "too late")
            #expect(state.cancelReason == nil)
            let open = OrderWorkflowState(order: OrderInput(orderId: "o", customerId: "c", items: []))
            open.requestCancellation(reason: "  ")
            #expect(open.cancelReason == "cancelled on request")
        }

        @Test func temporalCancelCompensatesAndEndsCanceled() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, stock: 10)
                let handle = try await harness.start(items: [(product, 3)])
                try await harness.holdingProductLock(product) {
                    try await harness.waitForStatus(handle) { $0.step == "CheckInventory" }
                    try await harness.client.requestCancel(handle, reason: "test")
                    try await harness.waitForEvent(handle, .workflowExecutionCancelRequested)
                }
                do {
                    _ = try await harness.result(handle)
                    Issue.record("expected the run to end Canceled")
                } catch let error as WorkflowClientError {
                    #expect(error == .workflowCanceled)
                }
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 10)
                #expect(try await harness.unreleasedReservations(handle.workflowId) == 0)
                #expect(try await harness.payment(handle.workflowId) == nil)
                #expect(try await harness.orderRow(handle.workflowId)?.string("status") == "cancelled")
                #expect(try await harness.notificationKinds(handle.workflowId) == ["order_cancelled"])
            }
        }
    }
}
