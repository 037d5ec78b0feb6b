import Foundation
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    /// Runs the happy, declined and cancelled paths, replays each fresh server history against
    /// the current code, and with `ORDERFLOW_RECORD_FIXTURES=1` stores them as the fixtures that
    /// `ReplayFixtureTests` replays.
    @Suite("replay of recorded histories") struct ReplayRecording {
        static let record = ProcessInfo.processInfo.environment["ORDERFLOW_RECORD_FIXTURES"] == "1"

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

        @Test func happyPathHistoryReplays() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-happy"), items: [(product, 2)])
                _ = try await harness.result(handle)
                _ = try await harness.status(handle)
                try await replayAndMaybeStore(harness, handle, as: "happy")
            }
        }

        @Test func declinedHistoryReplays() async throws {
            try await WorkerHarness.with(environment: ["PAYMENT_MAX_AMOUNT": "1.00"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-declined"), items: [(product, 1)])
                #expect(try await harness.failureType(handle) == "PaymentDeclined")
                try await replayAndMaybeStore(harness, handle, as: "declined")
            }
        }

        @Test func cancelledHistoryReplays() async throws {
            try await WorkerHarness.with(environment: ["PAYMENT_DELAY_MS": "1000"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-cancelled"), items: [(product, 1)])
                _ = try await harness.waitForStatus(handle) { $0.step == "ProcessPayment" }
                try await harness.client.signal(
                    handle, name: OrderWorkflow.cancelSignal, args: [CancelOrderRequest(reason: "fixture")])
                #expect(try await harness.result(handle).status == .cancelled)
                try await replayAndMaybeStore(harness, handle, as: "cancelled")
            }
        }
    }
}
