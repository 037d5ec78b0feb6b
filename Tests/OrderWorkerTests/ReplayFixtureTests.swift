import Foundation
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

/// Where the recorded histories live (found next to this file, so no Package.swift resources).
enum ReplayFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func url(_ name: String) -> URL {
        directory.appendingPathComponent("OrderWorkflow-\(name).history.json")
    }

    static var replayer: WorkflowReplayer {
        WorkflowReplayer(workflows: [OrderWorkflow(settings: ActivitySettings()).definition])
    }

    /// The build from before the fraud screen (FRAUD_SCREEN=off).
    static var oldBuildReplayer: WorkflowReplayer {
        WorkflowReplayer(workflows: [OrderWorkflow(settings: ActivitySettings(), fraudScreen: false).definition])
    }

    /// Recorded before the fraud-screen patch: every outcome, the cancelOrder signal at each step,
    /// Temporal's cancel, and a reset run.
    static let beforeFraudScreen = [
        "happy", "declined", "invalid-product", "insufficient-inventory", "invalid-order",
        "cancel-before-start", "cancel-create-order", "cancel-check-inventory", "cancelled",
        "cancel-during-notification", "temporal-cancel", "reset",
    ]
    /// Recorded by the build with the patch (they carry its marker).
    static let withFraudScreen = ["screened", "fraud-suspected", "reset-screened"]
}

/// Histories recorded from the Temporal server (ReplayFixtureRecordingTests, with
/// ORDERFLOW_RECORD_FIXTURES=1) replay cleanly against the current OrderWorkflow code: a change
/// that would break running workflows fails here, naming the event and what differs.
@Suite struct ReplayFixtureTests {
    @Test(arguments: ReplayFixtures.beforeFraudScreen + ReplayFixtures.withFraudScreen)
    func recordedHistoryReplays(_ name: String) throws {
        let data = try Data(contentsOf: ReplayFixtures.url(name))
        let commands = try ReplayFixtures.replayer.replay(json: data)
        #expect(commands.isEmpty, "a closed run must need no further commands, got \(commands.map(\.commandType))")
    }

    @Test(arguments: ReplayFixtures.beforeFraudScreen)
    func historiesFromBeforeThePatchTakeTheOldPath(_ name: String) throws {
        let data = try Data(contentsOf: ReplayFixtures.url(name))
        #expect(!String(decoding: data, as: UTF8.self).contains("ScreenFraud"))
        #expect(try ReplayFixtures.oldBuildReplayer.replay(json: data).isEmpty)
    }

    @Test(arguments: ReplayFixtures.withFraudScreen)
    func theOldBuildRejectsHistoriesOfTheNewPath(_ name: String) throws {
        let data = try Data(contentsOf: ReplayFixtures.url(name))
        let error = try #require(throws: NonDeterminismError.self) {
            try ReplayFixtures.oldBuildReplayer.replay(json: data)
        }
        #expect(error.message.contains("fraud-screen"))
    }

    @Test func replayNoticesAChangedStepOrderNamingTheEvent() throws {
        // The same happy history against a workflow that schedules something else first must fail.
        let data = try Data(contentsOf: ReplayFixtures.url("happy"))
        let changed = WorkflowDefinition(name: OrderWorkflowContract.workflowType) {
            (_: OrderWorkflowInput) -> OrderWorkflowResult in
            let options = OrderActivityOptions(settings: ActivitySettings())
            try await Workflow.executeActivity(
                ActivityName.checkInventory.rawValue, input: OrderReference(orderId: "x"), options: options.step)
            return .completed(orderId: "x", total: .zero, transactionId: "")
        }
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [changed]).replay(json: data)
        }
        #expect(error.message.contains("history event 5 ActivityTaskScheduled(activityType: CreateOrder"))
        #expect(error.message.contains("ScheduleActivityTask(activityType: CheckInventory"))
    }

    @Test func aFraudScreenWithoutThePatchWouldBreakEveryOldRun() throws {
        // What the patch prevents: the screen added unconditionally fails the old histories.
        let data = try Data(contentsOf: ReplayFixtures.url("happy"))
        let unpatched = WorkflowDefinition(name: OrderWorkflowContract.workflowType) {
            (input: OrderWorkflowInput) -> OrderWorkflowResult in
            let steps = OrderSteps(options: OrderActivityOptions(settings: ActivitySettings()))
            let order = input.order(workflowId: Workflow.info.workflowId)
            let created = try await steps.createOrder(order)
            try await steps.checkInventory(order)
            try await steps.screenFraud(order, amount: created.total)
            return .completed(orderId: order.orderId, total: created.total, transactionId: "")
        }
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [unpatched]).replay(json: data)
        }
        #expect(error.message.contains("ScreenFraud") && error.message.contains("ProcessPayment"), "\(error)")
    }
}
