import Foundation
import Testing

@testable import TemporalBridge

/// Two coroutines wait at once (an activity and a timer, then a condition): the stack trace names
/// the source line of each wait; activity summaries, current details and handler descriptions
/// reach the fields the Web UI shows.
private let storyOptions = ActivityOptions(
    startToCloseTimeout: .seconds(10), retryPolicy: RetryPolicy(maximumAttempts: 5))

private let storyWorkflow = WorkflowDefinition(name: "Story") { (_: String) async throws -> String in
    var approved = false
    Workflow.setSignalHandler("approve", description: "let the story end") { _ in approved = true }
    Workflow.setQueryHandler("ping", description: "answers pong") { "pong" }
    Workflow.currentDetails = "**charging** 12.50"
    async let charged: String = Workflow.executeActivity(
        "Charge", input: 1250, options: storyOptions, summary: "charge 12.50 for ord-1")
    async let slept: Void = Workflow.sleep(for: .seconds(30), summary: "cool-down")
    let receipt = try await charged
    try await slept
    Workflow.currentDetails = "**waiting** for approval"
    try await Workflow.condition { approved }
    return receipt
}

@Suite struct WorkflowStoryTests {
    /// The text of line `line` of this test file.
    private func sourceLine(_ line: Int) throws -> String {
        let text = try String(contentsOfFile: #filePath, encoding: .utf8)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
    }

    /// `(file:line, rest)` of each stack line (`coroutine N awaiting X: File.swift:L rest`).
    private func stackSites(_ stack: String) throws -> [(line: Int, text: String)] {
        try stack.split(separator: "\n").map { entry in
            let afterColon = try #require(entry.split(separator: ": ", maxSplits: 1).last)
            let site = try #require(afterColon.split(separator: " ").first)
            #expect(site.hasPrefix("TemporalBridgeTests/WorkflowStoryTests.swift:"), "\(entry)")
            return (try #require(Int(site.split(separator: ":").last ?? "")), String(entry))
        }
    }

    private func stack(_ run: WorkflowRun, live: [String: LiveActivityAttempt] = [:]) throws -> String {
        let payload = try run.answerQuery(name: "__stack_trace", arguments: .init([]), liveActivities: live)
        return try WorkflowPayloads.decode(payload, as: String.self)
    }

    @Test func stackTraceNamesTheSourceLineOfEachWaitingCoroutine() throws {
        var script = ScriptedRun(storyWorkflow, input: "x")
        let commands = try script.task()
        #expect(commands.map(\.commandType) == [.scheduleActivityTask, .startTimer])

        let waits = try stackSites(try stack(script.run))
        #expect(waits.count == 2)
        #expect(waits[0].text.hasPrefix("coroutine 1 awaiting activity: "))
        #expect(waits[0].text.hasSuffix(" Charge (attempt 1 of 5, activityId 1)"))
        #expect(try sourceLine(waits[0].line).contains("Workflow.executeActivity("))
        #expect(waits[1].text.hasPrefix("coroutine 2 awaiting timer: "))
        #expect(waits[1].text.contains("(timerId 1)"))
        #expect(try sourceLine(waits[1].line).contains("Workflow.sleep(for: .seconds(30)"))

        // What the server says of the running attempt shows through.
        let live = try stack(
            script.run,
            live: ["1": LiveActivityAttempt(attempt: 2, maximumAttempts: 5, lastFailure: "Gateway: timed out")])
        #expect(live.contains(" Charge (attempt 2 of 5, activityId 1, last failure: Gateway: timed out)"), "\(live)")

        try script.task {
            $0.activityCompleted("1", result: "receipt-1")
            $0.timerFired("1")
        }
        let condition = try stackSites(try stack(script.run))
        #expect(condition.count == 1)
        #expect(condition[0].text.hasPrefix("coroutine 1 awaiting condition: "))
        #expect(try sourceLine(condition[0].line).contains("Workflow.condition"))
    }

    @Test func summariesDetailsAndDescriptionsReachTheirFields() throws {
        var script = ScriptedRun(storyWorkflow, input: "x")
        let commands = try script.task()
        let summaries = try commands.map { try WorkflowPayloads.decode($0.userMetadata.summary, as: String.self) }
        #expect(summaries == ["charge 12.50 for ord-1", "cool-down"])
        #expect(commands[0].userMetadata.summary.metadata["encoding"] == Data("json/plain".utf8))

        var metadata = try metadata(script.run)
        #expect(metadata.currentDetails == "**charging** 12.50")
        #expect(metadata.definition.signalDefinitions.map(\.description_p) == ["let the story end"])
        #expect(metadata.definition.queryDefinitions.map(\.description_p) == ["answers pong"])

        try script.task {
            $0.activityCompleted("1", result: "receipt-1")
            $0.timerFired("1")
        }
        metadata = try self.metadata(script.run)
        #expect(metadata.currentDetails == "**waiting** for approval")
        // Summaries are not part of determinism: the history replays with or without them.
        #expect(try WorkflowReplayer(workflows: [storyWorkflow]).replay(script.closedHistory()).isEmpty)
    }

    @Test func renderedDetailsSeeTheLiveAttemptOnlyWhileTheQueryIsAnswered() throws {
        let workflow = WorkflowDefinition(name: "Rendered") { (_: String) async throws -> String in
            var seenByWorkflowCode: LiveActivityAttempt?
            Workflow.setCurrentDetails {
                let live = Workflow.liveAttempt(ofActivity: "1")
                return "Charge: attempt \(live?.attempt ?? 1), last failure \(live?.lastFailure ?? "none")"
            }
            seenByWorkflowCode = Workflow.liveAttempt(ofActivity: "1")
            let receipt: String = try await Workflow.executeActivity("Charge", input: 1, options: storyOptions)
            return "\(receipt) \(seenByWorkflowCode == nil)"
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        #expect(try metadata(script.run).currentDetails == "Charge: attempt 1, last failure none")
        let payload = try script.run.answerQuery(
            name: "__temporal_workflow_metadata", arguments: .init([]),
            liveActivities: ["1": LiveActivityAttempt(attempt: 3, maximumAttempts: 5, lastFailure: "Gateway: down")])
        let live = try Temporal_Api_Sdk_V1_WorkflowMetadata(jsonUTF8Data: payload.data)
        #expect(live.currentDetails == "Charge: attempt 3, last failure Gateway: down")
        // Gone again once the query is answered.
        #expect(try metadata(script.run).currentDetails == "Charge: attempt 1, last failure none")
        let commands = try script.task { $0.activityCompleted("1", result: "r") }
        #expect(try commands[0].decodedResult(as: String.self) == "r true")
    }

    private func metadata(_ run: WorkflowRun) throws -> Temporal_Api_Sdk_V1_WorkflowMetadata {
        let payload = try run.answerQuery(name: "__temporal_workflow_metadata", arguments: .init([]))
        return try Temporal_Api_Sdk_V1_WorkflowMetadata(jsonUTF8Data: payload.data)
    }
}
