import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// Worker restarts, shutdown and activity cancellation against the dev server.
@Suite(.serialized) struct WorkerLifecycleTests {
    private static let waitingWorkflow = WorkflowDefinition(name: "Restartable") {
        (input: String) async throws -> String in
        var go = false
        Workflow.setSignalHandler("go") { _ in go = true }
        let a: String = try await Workflow.executeActivity(
            "Append", input: input + "-a", options: WorkerTestSupport.options())
        try await Workflow.condition { go }
        let b: String = try await Workflow.executeActivity(
            "Append", input: a + "-b", options: WorkerTestSupport.options())
        return b
    }

    @Test func newWorkerReplaysFullHistoryAndFinishesTheRun() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-life")
        let activities = WorkerTestSupport.activities(AttemptCounter())
        let (first, firstTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [Self.waitingWorkflow],
            activities: activities)
        let handle = try await client.start(
            workflowType: "Restartable", id: TransportTestSupport.uniqueName("restart"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .activityTaskCompleted }
        }
        first.shutdown()
        try await firstTask.value
        let (second, secondTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [Self.waitingWorkflow],
            activities: activities)
        defer { secondTask.cancel() }
        try await client.signal(handle, name: "go")
        let result: String = try await client.result(handle)
        #expect(result == "x-a-b")
        #expect(second.statistics.replays >= 1)
        #expect(second.statistics.cacheMisses >= 1)
        #expect(try await !client.history(handle).contains { $0.eventType == .workflowTaskFailed })
    }

    @Test func shutdownFailsUnfinishedActivitiesWithRetryableWorkerShutdown() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-life")
        let started = AttemptCounter()
        let workflow = WorkflowDefinition(name: "LongActivity") { (input: String) async throws -> String in
            try await Workflow.executeActivity(
                "Stuck", input: input,
                options: ActivityOptions(
                    startToCloseTimeout: .seconds(60), retryPolicy: RetryPolicy(maximumAttempts: 1)))
        }
        let stuck = ActivityDefinition(name: "Stuck") { (_: String, context: ActivityContext) -> String in
            started.next("Stuck")
            while true {
                context.heartbeat("working")
                try await Task.sleep(for: .milliseconds(100))  // throws once the worker cancels us
            }
        }
        var options = WorkerOptions()
        options.gracefulShutdownTimeout = .milliseconds(500)
        var logger = Logger(label: "worker-test")
        logger.logLevel = .warning
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: [workflow], activities: [stuck],
            options: options, logger: logger)
        let runTask = Task { try await worker.run() }
        let handle = try await client.start(
            workflowType: "LongActivity", id: TransportTestSupport.uniqueName("stuck"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil { started.count("Stuck") == 1 }
        runTask.cancel()  // graceful shutdown through task cancellation
        try await runTask.value
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .activityTaskFailed }
        }
        let failed = try await client.history(handle).first { $0.eventType == .activityTaskFailed }
        let info = failed?.activityTaskFailedEventAttributes.failure.applicationFailureInfo
        #expect(info?.type == "WorkerShutdown")
        #expect(info?.nonRetryable == false)
        try await client.terminate(handle, reason: "test done")
    }

    @Test func cancellingAnActivityReachesItThroughHeartbeats() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-life")
        let workflow = WorkflowDefinition(name: "CancelActivity") { (input: String) async throws -> String in
            do {
                return try await Workflow.executeActivity(
                    "Heartbeating", input: input,
                    options: ActivityOptions(
                        startToCloseTimeout: .seconds(60), heartbeatTimeout: .seconds(2),
                        cancellationType: .waitCancellationCompleted))
            } catch is CancellationError {
                throw CancellationError()
            }
        }
        let sawCancel = AttemptCounter()
        let heartbeating = ActivityDefinition(name: "Heartbeating") { (_: String, context: ActivityContext) -> String in
            do {
                while true {
                    context.heartbeat(1)
                    try await Task.sleep(for: .milliseconds(100))
                }
            } catch {
                sawCancel.next("cancel")
                throw error
            }
        }
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [workflow],
            activities: [heartbeating])
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "CancelActivity", id: TransportTestSupport.uniqueName("hb"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .activityTaskScheduled }
        }
        try await Task.sleep(for: .milliseconds(300))
        try await client.requestCancel(handle, reason: "test")
        _ = try await client.awaitCloseEvent(handle)
        let types = try await client.history(handle).map(\.eventType)
        #expect(types.contains(.activityTaskCancelRequested))
        #expect(types.contains(.activityTaskCanceled))
        #expect(types.last == .workflowExecutionCanceled)
        #expect(sawCancel.count("cancel") == 1)
    }
}
