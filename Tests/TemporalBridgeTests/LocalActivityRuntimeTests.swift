import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// The local activity state machine without a server: markers recorded as the worker's outcomes
/// arrive, a timer past the local retry threshold, resolution from markers on replay (no
/// activity runs), non-determinism naming the event; and the worker's retry loop inside the task.
@Suite struct LocalActivityRuntimeTests {
    static let options = LocalActivityOptions(startToCloseTimeout: .seconds(10))

    static let twoSteps = WorkflowDefinition(name: "TwoSteps") { (name: String) async throws -> String in
        let a: String = try await Workflow.executeLocalActivity(
            "Greet", input: name, options: options, summary: "greet")
        let b: String = try await Workflow.executeLocalActivity(
            "Flaky", input: name,
            options: LocalActivityOptions(
                startToCloseTimeout: .seconds(10), retryPolicy: RetryPolicy(initialInterval: .seconds(2)),
                localRetryThreshold: .seconds(1)))
        return a + "|" + b
    }

    private func payload(_ value: String) -> Temporal_Api_Common_V1_Payload { try! WorkflowPayloads.encode(value) }

    private func failure(_ message: String) -> Temporal_Api_Failure_V1_Failure {
        ActivityFailureReport.failure(from: ApplicationFailure(type: "Transient", message: message))
    }

    private func markerJSON(_ command: Temporal_Api_Command_V1_Command) throws -> [String: Any] {
        let data = try #require(command.recordMarkerCommandAttributes.details["data"]?.payloads.first?.data)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs TwoSteps live: Greet completes, Flaky fails with a 2 s backoff (past the 1 s threshold),
    /// the timer fires, Flaky attempt 2 completes. Returns the closed history.
    private func runLive() throws -> Temporal_Api_History_V1_History {
        var run = ScriptedRun(Self.twoSteps, input: "x")
        #expect(try run.task().isEmpty)
        let first = run.run.takeLocalActivityRequests()
        #expect(first.map(\.activityType) == ["Greet"] && first[0].seq == 1 && first[0].attempt == 1)
        let taskTime = run.builder.time
        var commands = try run.resolveLocalActivity(
            seq: 1, outcome: .completed(payload("hello x"), attempt: 1), runtime: .milliseconds(250))
        #expect(commands.count == 1)
        let greet = try markerJSON(commands[0])
        #expect(commands[0].recordMarkerCommandAttributes.markerName == "core_local_activity")
        #expect(greet["seq"] as? Int == 1 && greet["attempt"] as? Int == 1)
        #expect(greet["activity_id"] as? String == "1" && greet["activity_type"] as? String == "Greet")
        #expect(greet.keys.contains("backoff") && greet["backoff"] is NSNull)
        let complete = try #require(greet["complete_time"] as? [String: Any])
        #expect(complete["seconds"] as? Int == Int(taskTime.timeIntervalSince1970))
        #expect(complete["nanos"] as? Int == 250_000_000)
        #expect(greet["original_schedule_time"] is [String: Any])
        #expect(
            try WorkflowPayloads.decode(commands[0].userMetadata.summary, as: String.self) == "greet")
        #expect(commands[0].recordMarkerCommandAttributes.details["result"]?.payloads.first == payload("hello x"))

        let second = run.run.takeLocalActivityRequests()
        #expect(second.map(\.activityType) == ["Flaky"] && second[0].seq == 2)
        commands = try run.resolveLocalActivity(
            seq: 2, outcome: .backoff(failure("not yet"), attempt: 1, backoff: .seconds(2)), runtime: .milliseconds(5))
        #expect(commands.map(\.commandType) == [.recordMarker, .recordMarker, .startTimer])
        let flaky = try markerJSON(commands[1])
        #expect((flaky["backoff"] as? [String: Any])?["seconds"] as? Int == 2)
        #expect(commands[1].recordMarkerCommandAttributes.failure.message == "not yet")
        #expect(commands[2].startTimerCommandAttributes.startToFireTimeout.seconds == 2)
        #expect(run.run.takeLocalActivityRequests().isEmpty, "the retry waits for the timer")
        #expect(!run.run.hasRunningLocalActivities)

        // The next task: the timer fired, attempt 2 runs as local activity 3.
        #expect(try run.task { $0.timerFired("1") }.isEmpty)
        let retry = run.run.takeLocalActivityRequests()
        #expect(retry.map(\.seq) == [3] && retry[0].attempt == 2)
        #expect(retry[0].originalScheduleTime == second[0].originalScheduleTime)
        commands = try run.resolveLocalActivity(
            seq: 3, outcome: .completed(payload("x@2"), attempt: 2), runtime: .milliseconds(5))
        #expect(commands.map(\.commandType) == [.recordMarker, .completeWorkflowExecution])
        #expect(try commands[1].decodedResult(as: String.self) == "hello x|x@2")
        return run.closedHistory()
    }

    @Test func aLiveTaskRecordsMarkersAndBacksOffOnATimer() throws {
        _ = try runLive()
    }

    @Test func replayTakesEachOutcomeFromItsMarkerAndRunsNothing() throws {
        let history = try runLive()
        let run = WorkflowRun(
            definition: Self.twoSteps, namespace: "default", workflowId: "wf-1", runId: "run-1",
            logger: Logger(label: "test"))
        defer { run.evict() }
        try run.apply(events: history.events, liveStartedEventId: nil)
        try run.finishReplay()
        #expect(run.isFinished)
        #expect(run.takeLocalActivityRequests().isEmpty)
        #expect(try WorkflowReplayer(workflows: [Self.twoSteps]).replay(history).isEmpty)
    }

    @Test func aMarkerOfAnotherTypeOrNoMarkerIsNonDeterminismNamingTheEvent() throws {
        let history = try runLive()
        let renamed = WorkflowDefinition(name: "TwoSteps") { (name: String) async throws -> String in
            try await Workflow.executeLocalActivity(
                "Welcome", input: name, options: Self.options, returning: String.self)
        }
        let markerId = try #require(history.events.first { $0.eventType == .markerRecorded }?.eventID)
        let mismatch = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [renamed]).replay(history)
        }
        #expect(mismatch.message.contains("history event \(markerId)"), "\(mismatch)")
        #expect(mismatch.message.contains("Greet") && mismatch.message.contains("Welcome"), "\(mismatch)")

        // The code waits on a local activity where history completed the run.
        var builder = HistoryBuilder()
        builder.started(type: "TwoSteps", input: "x")
        builder.workflowTask()
        var complete = Temporal_Api_Command_V1_Command()
        complete.commandType = .completeWorkflowExecution
        complete.completeWorkflowExecutionCommandAttributes.result.payloads = [payload("done")]
        builder.completeTask(with: [complete])
        let missing = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [Self.twoSteps]).replay(builder.history)
        }
        #expect(missing.message.contains("history event 5"), "\(missing)")
        #expect(missing.message.contains("waits on local activity Greet"), "\(missing)")

        // A remote activity where history has a marker.
        let remote = WorkflowDefinition(name: "TwoSteps") { (name: String) async throws -> String in
            try await Workflow.executeActivity(
                "Greet", input: name, options: ActivityOptions(startToCloseTimeout: .seconds(10)),
                returning: String.self)
        }
        let kind = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [remote]).replay(history)
        }
        #expect(kind.message.contains("history event \(markerId)"), "\(kind)")
    }

    @Test func aLocalActivityWithoutMarkerRunsOnceTheRunIsLive() throws {
        // The first task's worker died before recording the marker: the replayed task has no
        // marker, so the live one runs the activity (sdk-core's rule).
        var builder = HistoryBuilder()
        builder.started(type: "TwoSteps", input: "x")
        builder.workflowTask()
        builder.add(.workflowTaskTimedOut, .workflowTaskTimedOutEventAttributes(.init()))
        let live = builder.workflowTask()
        let run = WorkflowRun(
            definition: Self.twoSteps, namespace: "default", workflowId: "wf-1", runId: "run-1",
            logger: Logger(label: "test"))
        defer { run.evict() }
        #expect(try run.apply(events: builder.events, liveStartedEventId: live).isEmpty)
        #expect(run.takeLocalActivityRequests().map(\.activityType) == ["Greet"])
    }

    // MARK: the worker's retry loop

    private func makeShared(_ activities: [ActivityDefinition]) throws -> WorkerSharedState {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: "127.0.0.1:1", namespace: "default"))
        return WorkerSharedState(
            connection: connection, taskQueue: "tq", options: WorkerOptions(), logger: Logger(label: "test"),
            workflows: [:], activities: Dictionary(uniqueKeysWithValues: activities.map { ($0.name, $0) }))
    }

    private func request(_ type: String, _ options: LocalActivityOptions) -> LocalActivityRequest {
        LocalActivityRequest(
            seq: 1, activityId: "1", activityType: type, input: [payload("x")], options: options, attempt: 1,
            originalScheduleTime: Date(),
            workflow: WorkflowInfo(
                namespace: "default", workflowId: "wf", runId: "run", workflowType: "W", taskQueue: "tq", attempt: 1))
    }

    static let failsTwice = ActivityDefinition(name: "FailsTwice") { (name: String, context: ActivityContext) in
        if context.info.attempt < 3 {
            throw ApplicationFailure(type: "Transient", message: "attempt \(context.info.attempt)")
        }
        return "\(name)@\(context.info.attempt)"
    }

    @Test func retriesWaitInsideTheTaskUpToTheThresholdThenBackOffOnATimer() async throws {
        let shared = try makeShared([Self.failsTwice])
        defer { shared.replayThreads.shutdown() }
        let quick = LocalActivityOptions(
            startToCloseTimeout: .seconds(5), retryPolicy: RetryPolicy(initialInterval: .milliseconds(10)))
        guard
            case .completed(let result, let attempt)? = await LocalActivityExecution.run(
                request("FailsTwice", quick), shared: shared)
        else { Issue.record("not completed"); return }
        #expect(attempt == 3)
        #expect(try WorkflowPayloads.decode(result, as: String.self) == "x@3")

        let slow = LocalActivityOptions(
            startToCloseTimeout: .seconds(5), retryPolicy: RetryPolicy(initialInterval: .milliseconds(10)),
            localRetryThreshold: .milliseconds(15))
        // 10 ms waits in the task; the second backoff (20 ms) is past 15 ms: a timer.
        guard
            case .backoff(let failure, let backoffAttempt, let backoff)? = await LocalActivityExecution.run(
                request("FailsTwice", slow), shared: shared)
        else { Issue.record("no backoff"); return }
        #expect(backoffAttempt == 2 && backoff == .milliseconds(20) && failure.message == "attempt 2")

        let limited = LocalActivityOptions(
            startToCloseTimeout: .seconds(5),
            retryPolicy: RetryPolicy(initialInterval: .milliseconds(10), maximumAttempts: 2))
        guard
            case .failed(let last, let lastAttempt)? = await LocalActivityExecution.run(
                request("FailsTwice", limited), shared: shared)
        else { Issue.record("not failed"); return }
        #expect(lastAttempt == 2 && last.applicationFailureInfo.type == "Transient")
    }

    @Test func nonRetryableFailuresAndTimeoutsEndTheActivity() async throws {
        let refuse = ActivityDefinition(name: "Refuse") { (_: String, _: ActivityContext) -> String in
            throw ApplicationFailure(type: "Refused", message: "no", nonRetryable: true)
        }
        let hang = ActivityDefinition(name: "Hang") { (_: String, _: ActivityContext) -> String in
            try await Task.sleep(for: .seconds(30))
            return "late"
        }
        let shared = try makeShared([refuse, hang])
        defer { shared.replayThreads.shutdown() }
        guard
            case .failed(let refused, 1)? = await LocalActivityExecution.run(
                request("Refuse", Self.options), shared: shared)
        else { Issue.record("not refused"); return }
        #expect(refused.applicationFailureInfo.nonRetryable)

        let started = ContinuousClock.now
        let once = LocalActivityOptions(
            startToCloseTimeout: .milliseconds(100), retryPolicy: RetryPolicy(maximumAttempts: 1))
        guard case .failed(let timeout, 1)? = await LocalActivityExecution.run(request("Hang", once), shared: shared)
        else { Issue.record("no timeout"); return }
        #expect(timeout.timeoutFailureInfo.timeoutType == .startToClose)
        #expect(ContinuousClock.now - started < .seconds(20), "the attempt runs 30 s unless its timeout stops it")

        let closing = LocalActivityOptions(scheduleToCloseTimeout: .milliseconds(100))
        guard case .failed(let closed, _)? = await LocalActivityExecution.run(request("Hang", closing), shared: shared)
        else { Issue.record("no schedule-to-close timeout"); return }
        #expect(closed.timeoutFailureInfo.timeoutType == .scheduleToClose)
    }
}
