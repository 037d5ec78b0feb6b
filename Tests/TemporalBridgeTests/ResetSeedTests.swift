import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// `Workflow.random` after a reset, as the official SDKs do it (sdk-core's UpdateRandomSeed, Java's
/// WorkflowTaskStateMachine): seeded from the started event's `original_execution_run_id`, reseeded
/// from `new_run_id` at the WorkflowTaskFailed the reset wrote. The worker (which knows the current run
/// id) and `WorkflowReplayer` (which knows only the history) must draw the same numbers.
@Suite struct ResetSeedTests {
    /// Draws a number at start and after its first activity, and sends each as an activity input.
    static let drawing = WorkflowDefinition(name: "Drawing") { (_: String) async throws -> String in
        var random = Workflow.random
        let first = String(random.next())
        let _: String = try await Workflow.executeActivity(
            "Use", input: first, options: ActivityOptions(startToCloseTimeout: .seconds(5)))
        let second = String(random.next())
        let _: String = try await Workflow.executeActivity(
            "Use", input: second, options: ActivityOptions(startToCloseTimeout: .seconds(5)))
        return "done"
    }

    private static func draws(from runId: String, count: Int) -> [String] {
        var random = WorkflowRandom(seedingFrom: runId)
        return (0..<count).map { _ in String(random.next()) }
    }

    private static func startedEvents(originalRunId: String) -> HistoryBuilder {
        var builder = HistoryBuilder()
        builder.started(type: "Drawing", input: "x")
        var started = builder.events[0]
        started.workflowExecutionStartedEventAttributes.originalExecutionRunID = originalRunId
        var rebuilt = HistoryBuilder()
        rebuilt.add(.workflowExecutionStarted, started.attributes!)
        return rebuilt
    }

    private static func resetFailure(_ builder: inout HistoryBuilder, base: String, new: String) {
        var failed = Temporal_Api_History_V1_WorkflowTaskFailedEventAttributes()
        failed.startedEventID = builder.lastStartedEventId
        failed.cause = .resetWorkflow
        failed.baseRunID = base
        failed.newRunID = new
        failed.failure.message = "reset"
        builder.add(.workflowTaskFailed, .workflowTaskFailedEventAttributes(failed))
    }

    /// The activity inputs of the ScheduleActivityTask commands.
    private static func inputs(_ commands: [Temporal_Api_Command_V1_Command]) throws -> [String] {
        try commands.compactMap { command in
            guard case .scheduleActivityTaskCommandAttributes(let a)? = command.attributes else { return nil }
            return try WorkflowPayloads.decode(a.input.payloads.first, as: String.self)
        }
    }

    /// Runs `history` up to its last WorkflowTaskStarted as the worker would, for run `runId`.
    private static func workerCommands(_ history: HistoryBuilder, runId: String) throws -> [String] {
        let run = WorkflowRun(
            definition: drawing, namespace: "default", workflowId: "wf", runId: runId, logger: Logger(label: "test"))
        defer { run.evict() }
        return try inputs(run.apply(events: history.events, liveStartedEventId: history.lastStartedEventId))
    }

    private static func replayerCommands(_ history: HistoryBuilder) throws -> [String] {
        try inputs(WorkflowReplayer(workflows: [drawing]).replay(history.history))
    }

    @Test func withoutResetTheSeedIsTheOriginalRunId() throws {
        var history = Self.startedEvents(originalRunId: "run-a")
        history.workflowTask()
        let expected = [Self.draws(from: "run-a", count: 1)[0]]
        #expect(try Self.workerCommands(history, runId: "run-a") == expected)
        #expect(try Self.replayerCommands(history) == expected)
    }

    @Test func resetToTheFirstTaskDrawsFromTheNewRunInWorkerAndReplayer() throws {
        var history = Self.startedEvents(originalRunId: "run-a")
        history.workflowTask()
        Self.resetFailure(&history, base: "run-a", new: "run-b")
        history.workflowTask()
        let expected = [Self.draws(from: "run-b", count: 1)[0]]
        #expect(try Self.workerCommands(history, runId: "run-b") == expected)
        #expect(try Self.replayerCommands(history) == expected)
    }

    @Test func resetAfterAnActivityKeepsTheOldDrawsAndReseedsFromThere() throws {
        var history = Self.startedEvents(originalRunId: "run-a")
        history.workflowTask()
        let first = Self.draws(from: "run-a", count: 1)[0]
        var schedule = Temporal_Api_Command_V1_Command()
        schedule.commandType = .scheduleActivityTask
        schedule.scheduleActivityTaskCommandAttributes.activityID = "1"
        schedule.scheduleActivityTaskCommandAttributes.activityType.name = "Use"
        schedule.scheduleActivityTaskCommandAttributes.input.payloads = [try WorkflowPayloads.encode(first)]
        history.completeTask(with: [schedule])
        history.activityCompleted("1", result: "ok")
        history.workflowTask()
        Self.resetFailure(&history, base: "run-a", new: "run-c")
        history.workflowTask()
        // The second draw is the first of the new run's stream: the reset reseeds.
        let expected = [Self.draws(from: "run-c", count: 1)[0]]
        #expect(try Self.workerCommands(history, runId: "run-c") == expected)
        #expect(try Self.replayerCommands(history) == expected)
    }
}
