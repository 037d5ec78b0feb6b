import Foundation
import Testing

@testable import TemporalBridge

/// Replays a history recorded from the dev server (`temporal workflow show -o json` of the
/// IntegrationSample run; refresh with RECORD_HISTORY_FIXTURE=<path> on WorkerIntegrationTests).
@Suite struct ReplayFixtureTests {
    private func fixture() throws -> Data {
        let url = try #require(
            Bundle.module.url(
                forResource: "integration-sample", withExtension: "json", subdirectory: "Fixtures/histories"))
        return try Data(contentsOf: url)
    }

    @Test func recordedHistoryReplaysAgainstCurrentCode() throws {
        let commands = try WorkflowReplayer(workflows: [WorkerTestSupport.sampleWorkflow]).replay(json: fixture())
        #expect(commands.isEmpty)
    }

    @Test func reorderedCodeIsReportedNonDeterministic() throws {
        let reordered = WorkflowDefinition(name: "IntegrationSample") { (input: String) async throws -> String in
            try await Workflow.sleep(for: .milliseconds(500))
            let a: String = try await Workflow.executeActivity(
                "Append", input: input, options: WorkerTestSupport.options())
            return a
        }
        #expect(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [reordered]).replay(json: fixture())
        }
    }
}
