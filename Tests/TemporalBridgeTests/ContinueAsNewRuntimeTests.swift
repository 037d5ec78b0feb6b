import Foundation
import Testing

@testable import TemporalBridge

/// Counts up to 3 across runs: each run sleeps, then continues as new with the next count.
let countingWorkflow = WorkflowDefinition(name: "Counting") { (count: Int) async throws -> Int in
    try await Workflow.sleep(for: .milliseconds(10))
    if count < 3 { try Workflow.continueAsNew(count + 1) }
    return count
}

@Suite struct ContinueAsNewRuntimeTests {
    @Test func continueAsNewEndsTheRunWithTheCommandAndTheNextInput() throws {
        var script = ScriptedRun(countingWorkflow, input: 1)
        try script.task()
        let commands = try script.task { $0.timerFired("1") }
        #expect(commands.map(\.commandType) == [.continueAsNewWorkflowExecution])
        let attributes = commands[0].continueAsNewWorkflowExecutionCommandAttributes
        #expect(attributes.workflowType.name == "Counting")
        #expect(attributes.taskQueue.name == "tq")
        #expect(try WorkflowPayloads.decode(attributes.input.payloads.first, as: Int.self) == 2)
        #expect(script.run.isFinished)
        #expect(try WorkflowReplayer(workflows: [countingWorkflow]).replay(script.closedHistory()).isEmpty)
    }

    @Test func optionsOverrideTypeQueueAndTimeouts() throws {
        let moving = WorkflowDefinition(name: "Moving") { (_: String) async throws -> String in
            try Workflow.continueAsNew(
                "next",
                options: ContinueAsNewOptions(
                    workflowType: "Other", taskQueue: "elsewhere", workflowRunTimeout: .seconds(60),
                    workflowTaskTimeout: .seconds(5)))
        }
        var script = ScriptedRun(moving, input: "x")
        let commands = try script.task()
        let attributes = commands[0].continueAsNewWorkflowExecutionCommandAttributes
        #expect(attributes.workflowType.name == "Other")
        #expect(attributes.taskQueue.name == "elsewhere")
        #expect(attributes.workflowRunTimeout.seconds == 60)
        #expect(attributes.workflowTaskTimeout.seconds == 5)
    }

    @Test func aHistoryThatCompletedInsteadIsNonDeterminism() throws {
        var script = ScriptedRun(countingWorkflow, input: 3)
        try script.task()
        try script.task { $0.timerFired("1") }  // count 3: completes
        let history = script.closedHistory()
        let changed = WorkflowDefinition(name: "Counting") { (count: Int) async throws -> Int in
            try await Workflow.sleep(for: .milliseconds(10))
            try Workflow.continueAsNew(count + 1)
        }
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [changed]).replay(history)
        }
        #expect(error.message.contains("ContinueAsNewWorkflowExecution"))
    }
}
