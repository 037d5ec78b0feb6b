import Foundation
import Testing

@testable import TemporalBridge

/// `Workflow.continueAsNew` against the dev server: the chain of runs ends with the last run's
/// result, each earlier run closes ContinuedAsNew with the next input, and no task fails.
@Suite(.serialized) struct ContinueAsNewIntegrationTests {
    @Test func aWorkflowContinuesAsNewUntilItCompletes() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("continue-as-new")
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [countingWorkflow], activities: [])
        defer { runTask.cancel() }
        let id = TransportTestSupport.uniqueName("counting")
        let first = try await client.start(workflowType: "Counting", id: id, taskQueue: queue, args: [1])
        let result: Int = try await client.result(first)
        #expect(result == 3)

        var handle = first
        var inputs: [Int] = []
        for _ in 0..<3 {
            let history = try await client.history(handle)
            #expect(!history.contains { $0.eventType == .workflowTaskFailed })
            let started = history[0].workflowExecutionStartedEventAttributes
            inputs.append(try client.converter.fromPayloads(started.input, at: 0, as: Int.self))
            var recorded = Temporal_Api_History_V1_History()
            recorded.events = history
            #expect(try WorkflowReplayer(workflows: [countingWorkflow]).replay(recorded).isEmpty)
            guard case .workflowExecutionContinuedAsNewEventAttributes(let continued)? = history.last?.attributes
            else {
                #expect(history.last?.eventType == .workflowExecutionCompleted)
                break
            }
            #expect(continued.workflowType.name == "Counting")
            handle = WorkflowHandle(workflowId: id, runId: continued.newExecutionRunID)
        }
        #expect(inputs == [1, 2, 3])
    }
}
