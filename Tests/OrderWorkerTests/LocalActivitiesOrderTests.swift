import Foundation
import OrderCore
import TemporalBridge
import TestSupport
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    /// LOCAL_ACTIVITIES=on: CreateOrder and CheckInventory run as local activities (markers with the
    /// steps' summaries, no activity tasks); payment and notification stay activity tasks; the run
    /// replays on a worker with the setting either way. With `ORDERFLOW_RECORD_FIXTURES=1` the
    /// history is stored as the `local-activities` fixture.
    @Suite("local activities") struct LocalActivities {
        @Test func databaseStepsRunLocallyAndTheRunReplaysWithTheSettingEitherWay() async throws {
            try await WorkerHarness.with(environment: ["LOCAL_ACTIVITIES": "on"]) { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.00", stock: 5)
                let handle = try await harness.start(
                    orderId: WorkerTestDatabase.uniqueId("fixture-local"), items: [(product, 2)])
                let result = try await harness.result(handle)
                #expect(result.status == .completed && result.total == Money(cents: 2_400))
                #expect(try await WorkerTestDatabase.stock(harness.pool, product) == 3)
                #expect(try await harness.status(handle).status == .completed)
                #expect(
                    try await harness.scheduledActivities(handle) == [
                        "ScreenFraud", "ProcessPayment", "SendNotification",
                    ])

                let events = try await harness.client.history(handle)
                let markers = events.filter { $0.eventType == .markerRecorded }
                let local = markers.compactMap { event -> (String, String)? in
                    guard case .markerRecordedEventAttributes(let attributes)? = event.attributes,
                        attributes.markerName == "core_local_activity",
                        let data = attributes.details["data"]?.payloads.first?.data,
                        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                        let summary = try? JSONDecoder().decode(String.self, from: event.userMetadata.summary.data)
                    else { return nil }
                    return (object["activity_type"] as? String ?? "?", summary)
                }
                #expect(local.map(\.0) == ["CreateOrder", "CheckInventory"])
                // The Web UI tells each step by the marker's summary.
                #expect(
                    local.count == 2 && local[0].1.hasPrefix("create order") && local[1].1.hasPrefix("reserve stock"),
                    "\(local)")
                #expect(local.allSatisfy { $0.1.contains(handle.workflowId) })
                #expect(!events.contains { $0.eventType == .workflowTaskFailed })

                let json = try await CommandLineTool.historyJSON(
                    workflowId: handle.workflowId, address: harness.config.temporal.hostPort)
                try LocalActivityFixture.expectReplays(json)
                if OrderWorkflowIntegration.ReplayRecording.record {
                    try json.write(to: ReplayFixtures.url(LocalActivityFixture.name))
                }
            }
        }

    }
}

/// The recorded run with LOCAL_ACTIVITIES=on, replayed on every build.
enum LocalActivityFixture {
    static let name = "local-activities"

    /// Replays on workers with the setting on and off (the patch marker keeps the run local), and
    /// not on code that runs the steps as activity tasks regardless.
    static func expectReplays(_ json: Data) throws {
        #expect(try ReplayFixtures.replayer.replay(json: json).isEmpty)
        let on = WorkflowReplayer(workflows: [
            OrderWorkflow(settings: ActivitySettings(localActivities: true)).definition
        ])
        #expect(try on.replay(json: json).isEmpty)
        let unpatched = WorkflowDefinition(name: OrderWorkflowContract.workflowType) {
            (input: OrderWorkflowInput) -> OrderWorkflowResult in
            _ = Workflow.patched(OrderWorkflow.fraudScreenPatch)
            let steps = OrderSteps(options: OrderActivityOptions(settings: ActivitySettings()))
            let order = input.order(workflowId: Workflow.info.workflowId)
            let created = try await steps.createOrder(order)
            return .completed(orderId: order.orderId, total: created.total, transactionId: "")
        }
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [unpatched]).replay(json: json)
        }
        #expect(error.message.contains("local-activities"), "\(error)")
    }
}

@Suite struct LocalActivityFixtureTests {
    @Test func theRecordedLocalActivityRunReplays() throws {
        let data = try Data(contentsOf: ReplayFixtures.url(LocalActivityFixture.name))
        #expect(!String(decoding: data, as: UTF8.self).contains("\"activityType\":{\"name\":\"CreateOrder\""))
        try LocalActivityFixture.expectReplays(data)
    }
}
