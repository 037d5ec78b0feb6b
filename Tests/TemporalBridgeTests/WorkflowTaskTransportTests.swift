import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// A transport failure while a worker fetches history or responds is the worker's problem, never
/// the workflow's: the call is retried within the task's timeout, or the task is left to time out
/// and run again. No WorkflowTaskFailed is ever written for it.
@Suite(.serialized) struct WorkflowTaskTransportTests {
    /// Waits for the "go" signal, then runs one activity.
    private static let waiting = WorkflowDefinition(name: "TransportWaiter") { (input: String) async throws -> String in
        var go = false
        Workflow.setSignalHandler("go") { _ in go = true }
        try await Workflow.condition { go }
        return try await Workflow.executeActivity(
            "Append", input: input + "-done", options: WorkerTestSupport.options())
    }

    private static let injected = TemporalRPCError(code: .unavailable, message: "injected: connection reset")
    private static let broken = TemporalRPCError(code: .internal, message: "injected: stream broken")

    private struct Run {
        let worker: Worker
        let task: Task<Void, any Error>
        let client: WorkflowClient
        let handle: WorkflowHandle
    }

    /// A worker on its own queue and a started `TransportWaiter` whose first task has completed.
    private static func startWaiting() async throws -> Run {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("transport")
        let (worker, task) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [waiting], activities: WorkerTestSupport.activities(AttemptCounter()))
        let handle = try await client.start(
            workflowType: "TransportWaiter", id: TransportTestSupport.uniqueName("transport"), taskQueue: queue,
            args: ["x"], options: WorkflowStartOptions(taskTimeout: .seconds(2)))
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).contains { $0.eventType == .workflowTaskCompleted }
        }
        return Run(worker: worker, task: task, client: client, handle: handle)
    }

    private static func eventTypes(_ run: Run) async throws -> [Temporal_Api_Enums_V1_EventType] {
        try await run.client.history(run.handle).map(\.eventType)
    }

    @Test func failedResponsesAreRetriedAndTheRunCompletes() async throws {
        let run = try await Self.startWaiting()
        defer { run.task.cancel() }
        run.worker.faults.fail("RespondWorkflowTaskCompleted", times: 2, with: Self.injected)
        try await run.client.signal(run.handle, name: "go")
        let result: String = try await run.client.result(run.handle)
        #expect(result == "x-done")
        #expect(run.worker.faults.injectedCount("RespondWorkflowTaskCompleted") == 2)
        let types = try await Self.eventTypes(run)
        #expect(!types.contains(.workflowTaskFailed))
        // Only the tasks after the signal had their responses failed; a slow machine may time out the first one.
        let afterSignal = types.drop { $0 != .workflowExecutionSignaled }
        #expect(!afterSignal.contains(.workflowTaskTimedOut), "the retried response should have made it in time")
    }

    @Test func aResponseThatCannotBeSentIsLeftToTimeOutNotFailed() async throws {
        let run = try await Self.startWaiting()
        defer { run.task.cancel() }
        run.worker.faults.fail("RespondWorkflowTaskCompleted", times: 1, with: Self.broken)
        try await run.client.signal(run.handle, name: "go")
        let result: String = try await run.client.result(run.handle)
        #expect(result == "x-done")
        let types = try await Self.eventTypes(run)
        #expect(!types.contains(.workflowTaskFailed), "a transport error was written into history: \(types)")
        #expect(types.contains(.workflowTaskTimedOut))
    }

    @Test func aFailedHistoryPageIsRetried() async throws {
        let run = try await Self.startWaiting()
        defer { run.task.cancel() }
        // The next task comes on the sticky queue with only the new events: with the run gone
        // from the cache, the worker must fetch the full history.
        run.worker.dropCachedRuns()
        run.worker.faults.fail("GetWorkflowExecutionHistory", times: 2, with: Self.injected)
        try await run.client.signal(run.handle, name: "go")
        let result: String = try await run.client.result(run.handle)
        #expect(result == "x-done")
        #expect(run.worker.faults.injectedCount("GetWorkflowExecutionHistory") == 2)
        let types = try await Self.eventTypes(run)
        #expect(!types.contains(.workflowTaskFailed))
        #expect(!types.contains(.workflowTaskTimedOut))
    }

    @Test func aHistoryThatCannotBeFetchedLeavesTheTaskToTimeOut() async throws {
        let run = try await Self.startWaiting()
        defer { run.task.cancel() }
        run.worker.dropCachedRuns()
        run.worker.faults.fail("GetWorkflowExecutionHistory", times: 1, with: Self.broken)
        try await run.client.signal(run.handle, name: "go")
        let result: String = try await run.client.result(run.handle)
        #expect(result == "x-done")
        let types = try await Self.eventTypes(run)
        #expect(!types.contains(.workflowTaskFailed), "a transport error was written into history: \(types)")
        #expect(types.contains(.workflowTaskTimedOut))
    }
}
