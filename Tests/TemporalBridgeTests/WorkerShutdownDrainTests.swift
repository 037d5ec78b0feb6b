import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// A graceful shutdown (SIGTERM in order-worker) lets the activities in flight finish and report
/// before `run()` returns, so a rolling restart leaves no attempt for the server to time out.
@Suite(.serialized) struct WorkerShutdownDrainTests {
    @Test func shutdownReturnsOnlyAfterTheInFlightActivityReportedItsResult() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("runtime-drain")
        let started = AttemptCounter()
        let workflow = WorkflowDefinition(name: "DrainedActivity") { (input: String) async throws -> String in
            try await Workflow.executeActivity(
                "Brief", input: input,
                options: ActivityOptions(
                    startToCloseTimeout: .seconds(60), retryPolicy: RetryPolicy(maximumAttempts: 1)))
        }
        let brief = ActivityDefinition(name: "Brief") { (input: String, _: ActivityContext) -> String in
            started.next("Brief")
            try await Task.sleep(for: .milliseconds(500))
            return input + "-done"
        }
        var logger = Logger(label: "worker-test")
        logger.logLevel = .warning
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: [workflow], activities: [brief], logger: logger)
        // The result reaches the server two seconds after the activity ends: shutdown must wait for it.
        worker.faults.delay("RespondActivityTaskCompleted", by: .seconds(2))
        let runTask = Task { try await worker.run() }
        let handle = try await client.start(
            workflowType: "DrainedActivity", id: TransportTestSupport.uniqueName("drain"),
            taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil { started.count("Brief") == 1 }
        worker.shutdown()
        try await runTask.value
        // Read at once, without waiting: the completion is already recorded.
        let events = try await client.history(handle)
        #expect(events.contains { $0.eventType == .activityTaskCompleted })
        #expect(!events.contains { $0.eventType == .activityTaskFailed || $0.eventType == .activityTaskTimedOut })
        try await client.terminate(handle, reason: "test done")
    }
}
