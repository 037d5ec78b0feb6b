import Foundation
import Logging
import TestSupport
import Testing

@testable import TemporalBridge

/// Counts attempts per key across activity invocations (activities run on the global pool).
final class AttemptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    @discardableResult func next(_ key: String) -> Int {
        lock.withLock {
            counts[key, default: 0] += 1; return counts[key]!
        }
    }
    func count(_ key: String) -> Int { lock.withLock { counts[key, default: 0] } }
}

struct StepStatus: Codable, Sendable, Equatable {
    var step: String
    var attempt: Int
}

enum WorkerTestSupport {
    static let fastRetry = RetryPolicy(initialInterval: .milliseconds(200), backoffCoefficient: 1.0, maximumAttempts: 3)

    static func options() -> ActivityOptions {
        ActivityOptions(startToCloseTimeout: .seconds(10), retryPolicy: fastRetry)
    }

    /// Three activities (the second fails its first attempt), a timer, a signal, a status query.
    static let sampleWorkflow = WorkflowDefinition(name: "IntegrationSample") {
        (input: String) async throws -> String in
        var status = StepStatus(step: "starting", attempt: 1)
        var released = false
        Workflow.setQueryHandler("getStatus", description: "current step") { status }
        Workflow.setSignalHandler("release", as: String.self) { _ in released = true }
        Workflow.onActivityStatus { activity in
            status = StepStatus(step: activity.activityType, attempt: activity.attempt)
        }
        let a: String = try await Workflow.executeActivity("Append", input: input + "-a", options: options())
        let b: String = try await Workflow.executeActivity("Flaky", input: a + "-b", options: options())
        try await Workflow.sleep(for: .milliseconds(500))
        status.step = "waiting for release"
        try await Workflow.condition { released }
        let c: String = try await Workflow.executeActivity("Append", input: b + "-c", options: options())
        status.step = "done"
        return c
    }

    static func activities(_ counter: AttemptCounter) -> [ActivityDefinition] {
        [
            ActivityDefinition(name: "Append") { (value: String, _: ActivityContext) in value },
            ActivityDefinition(name: "Flaky") { (value: String, context: ActivityContext) in
                if counter.next("Flaky:" + context.info.workflowId) == 1 {
                    throw ApplicationFailure(type: "Transient", message: "first attempt fails")
                }
                return value
            },
            ActivityDefinition(name: "Decline") { (_: String, _: ActivityContext) -> String in
                counter.next("Decline")
                throw ApplicationFailure(type: "PaymentDeclined", message: "declined", nonRetryable: true)
            },
        ]
    }

    static func startWorker(
        _ connection: TemporalConnection, queue: String, workflows: [WorkflowDefinition],
        activities: [ActivityDefinition]
    ) -> (Worker, Task<Void, any Error>) {
        var logger = Logger(label: "worker-test")
        logger.logLevel = ProcessInfo.processInfo.environment["WORKER_TEST_LOG"] == nil ? .warning : .debug
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: workflows, activities: activities,
            logger: logger)
        let task = Task { try await worker.run() }
        return (worker, task)
    }

    /// Runs the `temporal` CLI against the test server: its standard output, then its standard error.
    static func cli(_ arguments: [String]) async throws -> String {
        let output = try await CommandLineTool.run(
            [TemporalCLI.path] + arguments + ["--address", TransportTestSupport.target])
        return output.text + output.stderr
    }

    static func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("condition not met within \(timeout)")
    }
}

/// How long after its start an activity was stopped.
final class StoppedAfter: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration?
    func set(_ value: Duration) { lock.withLock { elapsed = value } }
    var value: Duration? { lock.withLock { elapsed } }
}

@Suite(.serialized) struct WorkerIntegrationTests {
    @Test func sampleWorkflowWithRetryTimerSignalAndQueriesCompletes() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-it")
        let counter = AttemptCounter()
        let (worker, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [WorkerTestSupport.sampleWorkflow],
            activities: WorkerTestSupport.activities(counter))
        defer { runTask.cancel() }
        let id = TransportTestSupport.uniqueName("sample")
        let handle = try await client.start(workflowType: "IntegrationSample", id: id, taskQueue: queue, args: ["x"])

        try await WorkerTestSupport.waitUntil {
            let status: StepStatus = try await client.query(handle, name: "getStatus")
            return status.step == "waiting for release"
        }
        #expect(counter.count("Flaky:" + id) == 2)  // retried once

        let stack = try await WorkerTestSupport.cli(["workflow", "stack", "-w", id])
        #expect(stack.contains("awaiting condition"), "stack: \(stack)")
        let metadata = try await WorkerTestSupport.cli([
            "workflow", "query", "--name", "__temporal_workflow_metadata", "-w", id,
        ])
        #expect(
            metadata.contains("getStatus") && metadata.contains("release"),
            "metadata: \(metadata)")

        try await client.signal(handle, name: "release", args: ["now"])
        let result: String = try await client.result(handle)
        #expect(result == "x-a-b-c")

        let history = try await client.history(handle)
        let flakyStarted = history.filter { $0.eventType == .activityTaskStarted }.map(
            \.activityTaskStartedEventAttributes.attempt)
        #expect(flakyStarted.contains(2))
        #expect(!history.contains { $0.eventType == .workflowTaskFailed })
        #expect(worker.statistics.cacheHits > 0)
        #expect(worker.statistics.eagerActivities > 0)

        // The recorded history replays against the same code.
        var recorded = Temporal_Api_History_V1_History()
        recorded.events = history
        #expect(try WorkflowReplayer(workflows: [WorkerTestSupport.sampleWorkflow]).replay(recorded).isEmpty)
        // ...and so does the CLI's proto3 JSON of it.
        let json = try await WorkerTestSupport.cli(["workflow", "show", "-w", id, "-o", "json"])
        if let path = ProcessInfo.processInfo.environment["RECORD_HISTORY_FIXTURE"] {
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))  // refreshes the replay fixture
        }
        #expect(
            try WorkflowReplayer(workflows: [WorkerTestSupport.sampleWorkflow]).replay(json: Data(json.utf8)).isEmpty)
    }

    @Test func nonRetryableActivityFailureEndsAfterOneAttempt() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-it")
        let counter = AttemptCounter()
        let workflow = WorkflowDefinition(name: "Declining") { (input: String) async throws -> String in
            do {
                return try await Workflow.executeActivity("Decline", input: input, options: WorkerTestSupport.options())
            } catch let failure as ActivityFailure {
                throw ApplicationFailure(type: failure.type, message: failure.message, nonRetryable: true)
            }
        }
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [workflow],
            activities: WorkerTestSupport.activities(counter))
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "Declining", id: TransportTestSupport.uniqueName("decline"),
            taskQueue: queue, args: ["x"])
        do {
            let _: String = try await client.result(handle)
            Issue.record("expected the workflow to fail")
        } catch let error as WorkflowFailedError {
            #expect(error.failure.applicationFailureInfo.type == "PaymentDeclined")
        }
        #expect(counter.count("Decline") == 1)
        let history = try await client.history(handle)
        let failed = history.first { $0.eventType == .activityTaskFailed }
        #expect(failed?.activityTaskFailedEventAttributes.retryState == .nonRetryableFailure)
    }

    @Test func cancelRequestRunsCompensationAndEndsCanceled() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-it")
        let workflow = WorkflowDefinition(name: "CancelMe") { (input: String) async throws -> String in
            do {
                try await Workflow.sleep(for: .seconds(60))
                return "slept"
            } catch is CancellationError {
                let _: String = try await Workflow.nonCancellable {
                    try await Workflow.executeActivity(
                        "Append", input: "compensated", options: WorkerTestSupport.options())
                }
                throw CancellationError()
            }
        }
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [workflow],
            activities: WorkerTestSupport.activities(AttemptCounter()))
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "CancelMe", id: TransportTestSupport.uniqueName("cancel"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .timerStarted }
        }
        try await client.requestCancel(handle, reason: "test")
        _ = try await client.awaitCloseEvent(handle)
        let types = try await client.history(handle).map(\.eventType)
        #expect(types.contains(.timerCanceled))
        #expect(types.contains(.activityTaskCompleted))
        #expect(types.last == .workflowExecutionCanceled)
    }

    /// The worker stops an attempt's code at its start-to-close (`ActivityDeadlines`) and leaves the timeout to the
    /// server: no result is reported for it, the history records ActivityTaskTimedOut.
    @Test func anAttemptPastItsStartToCloseIsStoppedAndTimedOutByTheServer() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-it")
        let stoppedAfter = StoppedAfter()
        // Measured from the attempt's start at the server, as its start-to-close is: under load the code itself
        // can begin a good part of a second later.
        let stall = ActivityDefinition(name: "Stall") { (_: String, context: ActivityContext) -> String in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                stoppedAfter.set(.seconds(Date().timeIntervalSince(context.info.startedTime)))
                throw error
            }
            return "finished"
        }
        let workflow = WorkflowDefinition(name: "Stalling") { (input: String) async throws -> String in
            let options = ActivityOptions(
                startToCloseTimeout: .seconds(1), retryPolicy: RetryPolicy(maximumAttempts: 1))
            do {
                return try await Workflow.executeActivity("Stall", input: input, options: options)
            } catch let failure as ActivityFailure {
                throw ApplicationFailure(type: "Stalled", message: failure.message, nonRetryable: true)
            }
        }
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [workflow], activities: [stall])
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "Stalling", id: TransportTestSupport.uniqueName("stall"), taskQueue: queue, args: ["x"])
        _ = try await client.awaitCloseEvent(handle)
        let stopped = try #require(stoppedAfter.value, "the activity's code was never stopped")
        #expect(stopped >= .milliseconds(900) && stopped < .seconds(5), "stopped after \(stopped)")
        let types = try await client.history(handle).map(\.eventType)
        #expect(types.contains(.activityTaskTimedOut))
        #expect(!types.contains(.activityTaskFailed) && !types.contains(.activityTaskCompleted))
        #expect(types.last == .workflowExecutionFailed)
    }

    @Test func nonDeterministicChangeFailsTheWorkflowTask() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-it")
        func version(_ activity: String) -> WorkflowDefinition {
            WorkflowDefinition(name: "Evolving") { (input: String) async throws -> String in
                var go = false
                Workflow.setSignalHandler("go") { _ in go = true }
                let _: String = try await Workflow.executeActivity(
                    activity, input: input, options: WorkerTestSupport.options())
                try await Workflow.condition { go }
                return "done"
            }
        }
        let activities = [
            ActivityDefinition(name: "Old") { (value: String, _: ActivityContext) in value },
            ActivityDefinition(name: "New") { (value: String, _: ActivityContext) in value },
        ]
        let (first, firstTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [version("Old")],
            activities: activities)
        let handle = try await client.start(
            workflowType: "Evolving", id: TransportTestSupport.uniqueName("nde"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .activityTaskCompleted }
        }
        first.shutdown()
        try await firstTask.value
        let (_, secondTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [version("New")],
            activities: activities)
        defer { secondTask.cancel() }
        try await client.signal(handle, name: "go")
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .workflowTaskFailed }
        }
        let failed = try await client.history(handle).first { $0.eventType == .workflowTaskFailed }
        #expect(failed?.workflowTaskFailedEventAttributes.cause == .nonDeterministicError)
        #expect(failed?.workflowTaskFailedEventAttributes.failure.message.contains("Old") == true)
        try await client.terminate(handle, reason: "test done")
    }
}
