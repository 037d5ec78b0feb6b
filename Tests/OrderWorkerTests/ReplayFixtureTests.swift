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
}

/// Histories recorded from the Temporal server (happy, declined, cancelled) replay cleanly
/// against the current OrderWorkflow code: a change that would break running workflows fails here.
@Suite struct ReplayFixtureTests {
    @Test(arguments: ["happy", "declined", "cancelled"])
    func recordedHistoryReplays(_ name: String) throws {
        let data = try Data(contentsOf: ReplayFixtures.url(name))
        let commands = try ReplayFixtures.replayer.replay(json: data)
        #expect(commands.isEmpty, "a closed run must need no further commands, got \(commands.map(\.commandType))")
    }

    @Test func replayNoticesAChangedStepOrder() throws {
        // The same happy history against a workflow that schedules something else first must fail.
        let data = try Data(contentsOf: ReplayFixtures.url("happy"))
        let changed = WorkflowDefinition(name: OrderWorkflow.name) { (_: OrderWorkflowInput) -> OrderWorkflowResult in
            let options = OrderActivityOptions(settings: ActivitySettings())
            try await Workflow.executeActivity(
                ActivityName.checkInventory.rawValue, input: OrderReference(orderId: "x"), options: options.step)
            return .completed(orderId: "x", total: .zero, transactionId: "")
        }
        #expect(throws: (any Error).self) {
            try WorkflowReplayer(workflows: [changed]).replay(json: data)
        }
    }
}
