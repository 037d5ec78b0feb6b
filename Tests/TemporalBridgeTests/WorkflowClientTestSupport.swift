import Foundation
import Testing

@testable import TemporalBridge

/// A started test workflow that is terminated when the test is done with it.
/// Nobody runs a worker for these runs; tests that need one play it by hand (`FakeWorkflowWorker`).
struct WorkflowClientFixture {
    let client: WorkflowClient
    let service: WorkflowServiceClient
    let taskQueue: String

    static func make() async throws -> WorkflowClientFixture {
        let connection = try await TransportTestSupport.connect()
        return WorkflowClientFixture(
            client: WorkflowClient(connection: connection),
            service: WorkflowServiceClient(connection: connection),
            taskQueue: TransportTestSupport.uniqueName("wfclient-tq"))
    }

    func newId(_ prefix: String = "wfclient") -> String { TransportTestSupport.uniqueName(prefix) }

    func start(_ id: String, args: [any Encodable] = [], options: WorkflowStartOptions = .init()) async throws
        -> WorkflowHandle
    {
        try await client.start(workflowType: "TestWorkflow", id: id, taskQueue: taskQueue, args: args, options: options)
    }

    /// Best-effort cleanup; a run that already closed is fine.
    func cleanUp(_ handle: WorkflowHandle) async {
        _ = try? await client.terminate(
            WorkflowHandle(workflowId: handle.workflowId, runId: ""), reason: "test cleanup")
    }
}

/// Plays the worker for one workflow task: polls the fixture's queue and answers with `commands`.
struct FakeWorkflowWorker {
    let service: WorkflowServiceClient
    let taskQueue: String

    @discardableResult
    func completeNextTask(with commands: [Temporal_Api_Command_V1_Command]) async throws
        -> Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse
    {
        var poll = Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueRequest()
        poll.taskQueue = WorkflowClient.taskQueue(taskQueue)
        for _ in 0..<3 {
            let task = try await service.pollWorkflowTaskQueue(poll, timeout: .seconds(10))
            guard !task.taskToken.isEmpty else { continue }
            var respond = Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedRequest()
            respond.taskToken = task.taskToken
            respond.commands = commands
            _ = try await service.respondWorkflowTaskCompleted(respond)
            return task
        }
        Issue.record("no workflow task arrived on \(taskQueue)")
        throw WorkflowClientError.timeout
    }

    static func complete(with result: Temporal_Api_Common_V1_Payloads) -> Temporal_Api_Command_V1_Command {
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .completeWorkflowExecution
        command.completeWorkflowExecutionCommandAttributes.result = result
        return command
    }

    static func fail(message: String, type: String) -> Temporal_Api_Command_V1_Command {
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .failWorkflowExecution
        command.failWorkflowExecutionCommandAttributes.failure.message = message
        command.failWorkflowExecutionCommandAttributes.failure.applicationFailureInfo.type = type
        command.failWorkflowExecutionCommandAttributes.failure.applicationFailureInfo.nonRetryable = true
        return command
    }

    static func continueAsNew(type: String, taskQueue: String, input: Temporal_Api_Common_V1_Payloads)
        -> Temporal_Api_Command_V1_Command
    {
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .continueAsNewWorkflowExecution
        command.continueAsNewWorkflowExecutionCommandAttributes.workflowType.name = type
        command.continueAsNewWorkflowExecutionCommandAttributes.taskQueue = WorkflowClient.taskQueue(taskQueue)
        command.continueAsNewWorkflowExecutionCommandAttributes.input = input
        return command
    }
}

struct TestOrderInput: Codable, Equatable, Sendable {
    var orderId: String
    var amount: Double
}
