import Foundation
import Testing

@testable import TemporalBridge

@Suite struct ReplayDeterminismTests {
    private func completedSampleHistory() throws -> Temporal_Api_History_V1_History {
        var script = ScriptedRun(sampleWorkflow, input: "ann")
        try script.task()
        try script.task { $0.activityCompleted("1", result: "hi ann") }
        try script.task { $0.timerFired("1") }
        try script.task { $0.signaled("approve", true) }
        try script.task { $0.activityCompleted("2", result: "HI ANN") }
        return script.closedHistory()
    }

    @Test func replayOfCompletedHistoryMatches() throws {
        let history = try completedSampleHistory()
        #expect(try WorkflowReplayer(workflows: [sampleWorkflow]).replay(history).isEmpty)
    }

    @Test func thousandReplaysGiveIdenticalCommands() throws {
        var history = try completedSampleHistory()
        // Cut after the 4th workflow task started, so the replay ends in a live task with commands.
        let cut = history.events.lastIndex { $0.eventType == .workflowTaskStarted }!
        history.events = Array(history.events[...cut])
        let replayer = WorkflowReplayer(workflows: [sampleWorkflow])
        let first = try replayer.replay(history)
        #expect(first.map(\.activityType) == [nil])  // CompleteWorkflowExecution
        var distinct = Set<Data>()
        for _ in 0..<1_000 {
            let commands = try replayer.replay(history)
            var batch = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest()
            batch.commands = commands
            distinct.insert(try batch.serializedData())
        }
        #expect(distinct.count == 1)
    }

    @Test func changedWorkflowIsNonDeterministic() throws {
        let history = try completedSampleHistory()
        let changed = WorkflowDefinition(name: "Sample") { (name: String) async throws -> String in
            let greeting: String = try await Workflow.executeActivity(
                "Welcome", input: name, options: ActivityOptions(startToCloseTimeout: .seconds(10)))
            return greeting
        }
        do {
            try WorkflowReplayer(workflows: [changed]).replay(history)
            Issue.record("expected a non-determinism error")
        } catch let error as NonDeterminismError {
            #expect(error.message.contains("ActivityTaskScheduled(activityType: Greet"))
            #expect(error.message.contains("ScheduleActivityTask(activityType: Welcome"))
        }
    }

    @Test func missingCommandIsNonDeterministic() throws {
        let history = try completedSampleHistory()
        let shorter = WorkflowDefinition(name: "Sample") { (_: String) async throws -> String in "done" }
        #expect(throws: NonDeterminismError.self) { try WorkflowReplayer(workflows: [shorter]).replay(history) }
    }

    @Test func replayFromJSON() throws {
        let history = try completedSampleHistory()
        let json = try history.jsonUTF8Data()
        #expect(try WorkflowReplayer(workflows: [sampleWorkflow]).replay(json: json).isEmpty)
    }
}
