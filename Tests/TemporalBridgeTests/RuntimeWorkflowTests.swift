import Foundation
import Testing

@testable import TemporalBridge

private let options = ActivityOptions(
    startToCloseTimeout: .seconds(10),
    retryPolicy: RetryPolicy(maximumAttempts: 3))

/// Order-like sample: two activities, a durable timer, a signal flag and a status query.
let sampleWorkflow = WorkflowDefinition(name: "Sample") { (name: String) async throws -> String in
    var status = "started"
    var approved = false
    Workflow.setQueryHandler("status", description: "current step") { status }
    Workflow.setSignalHandler("approve", as: Bool.self) { value in approved = value ?? true }
    let greeting: String = try await Workflow.executeActivity("Greet", input: name, options: options)
    status = "greeted"
    try await Workflow.sleep(for: .seconds(5))
    try await Workflow.condition { approved }
    status = "approved"
    let shout: String = try await Workflow.executeActivity("Shout", input: greeting, options: options)
    status = "done"
    return shout
}

@Suite struct RuntimeWorkflowTests {
    @Test func activityTimerSignalAndQueryRunToCompletion() throws {
        var script = ScriptedRun(sampleWorkflow, input: "ann")
        var commands = try script.task()
        #expect(commands.map(\.activityType) == ["Greet"])
        #expect(commands[0].scheduleActivityTaskCommandAttributes.taskQueue.name == "tq")
        #expect(try script.run.answerQuery(name: "status", arguments: .init([])).data == Data("\"started\"".utf8))

        commands = try script.task { $0.activityCompleted("1", result: "hi ann") }
        #expect(commands.map(\.commandType) == [.startTimer])
        commands = try script.task { $0.timerFired("1") }
        #expect(commands.isEmpty)  // waiting for the signal
        commands = try script.task { $0.signaled("approve", true) }
        #expect(commands.map(\.activityType) == ["Shout"])
        #expect(script.run.context?.activities.first?.value.activityType == "Shout")
        commands = try script.task { $0.activityCompleted("2", result: "HI ANN") }
        #expect(commands.map(\.commandType) == [.completeWorkflowExecution])
        #expect(try commands[0].decodedResult(as: String.self) == "HI ANN")
    }

    @Test func signalBeforeHandlerRegistrationIsBuffered() throws {
        let workflow = WorkflowDefinition(name: "LateHandler") { (_: String) async throws -> [String] in
            try await Workflow.sleep(for: .seconds(1))
            var received: [String] = []
            Workflow.setSignalHandler("note", as: String.self) { received.append($0 ?? "-") }
            try await Workflow.condition { received.count >= 2 }
            return received
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        var commands = try script.task { $0.signaled("note", "early") }
        #expect(commands.isEmpty)  // timer still pending
        commands = try script.task { $0.timerFired("1") }
        #expect(commands.isEmpty)
        commands = try script.task { $0.signaled("note", "late") }
        #expect(try commands[0].decodedResult(as: [String].self) == ["early", "late"])
    }

    @Test func activityFailureSurfacesApplicationFailureType() throws {
        let workflow = WorkflowDefinition(name: "Failing") { (_: String) async throws -> String in
            do {
                try await Workflow.executeActivity("Pay", input: 1, options: options)
                return "paid"
            } catch let failure as ActivityFailure {
                #expect(failure.applicationFailure?.nonRetryable == true)
                throw ApplicationFailure(
                    type: failure.type, message: "order failed: \(failure.message)", nonRetryable: true)
            }
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        let commands = try script.task {
            $0.activityFailed("1", type: "PaymentDeclined", message: "too much", nonRetryable: true)
        }
        #expect(commands.map(\.commandType) == [.failWorkflowExecution])
        let failure = commands[0].failWorkflowExecutionCommandAttributes.failure
        #expect(failure.applicationFailureInfo.type == "PaymentDeclined")
        #expect(failure.applicationFailureInfo.nonRetryable)
        #expect(failure.message == "order failed: too much")
    }

    @Test func activityTimeoutSurfacesTimeoutCause() throws {
        let workflow = WorkflowDefinition(name: "Timeout") { (_: String) async throws -> String in
            do {
                try await Workflow.executeActivity("Slow", input: 1, options: options)
                return "fast"
            } catch let failure as ActivityFailure {
                return "\(failure.cause) \(failure.retryState)"
            }
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        let commands = try script.task { $0.activityTimedOut("1") }
        #expect(try commands[0].decodedResult(as: String.self) == "timeout(\"StartToClose\") TIMEOUT")
    }

    @Test func cancelRequestDuringActivityRunsCompensationThenCancels() throws {
        let workflow = WorkflowDefinition(name: "Cancellable") { (_: String) async throws -> String in
            do {
                try await Workflow.executeActivity("Reserve", input: 1, options: options)
                try await Workflow.executeActivity("Charge", input: 1, options: options)
                return "done"
            } catch is CancellationError {
                try await Workflow.nonCancellable {
                    try await Workflow.executeActivity("Release", input: 1, options: options)
                }
                throw CancellationError()
            }
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        var commands = try script.task { $0.activityCompleted("1", result: EmptyValue()) }
        #expect(commands.map(\.activityType) == ["Charge"])
        commands = try script.task { $0.cancelRequested() }
        #expect(commands.map(\.commandType) == [.requestCancelActivityTask, .scheduleActivityTask])
        #expect(commands[1].activityType == "Release")
        commands = try script.task { $0.activityCompleted("3", result: EmptyValue()) }
        #expect(commands.map(\.commandType) == [.cancelWorkflowExecution])
        // The full history replays cleanly.
        #expect(try WorkflowReplayer(workflows: [workflow]).replay(script.closedHistory()).isEmpty)
    }

    @Test func requestOnlyCancellationLeavesTheActivityRunningAndRaisesTheFlag() throws {
        let workflow = WorkflowDefinition(name: "RequestOnly", cancellation: .requestOnly) {
            (_: String) async throws -> String in
            try await Workflow.executeActivity("Reserve", input: 1, options: options)
            guard Workflow.isCancellationRequested else { return "done" }
            try await Workflow.executeActivity("Release", input: 1, options: options)
            throw CancellationError()
        }
        var script = ScriptedRun(workflow, input: "x")
        try script.task()
        // No RequestCancelActivityTask: the activity in flight is left to finish.
        var commands = try script.task { $0.cancelRequested() }
        #expect(commands.isEmpty)
        commands = try script.task { $0.activityCompleted("1", result: EmptyValue()) }
        #expect(commands.map(\.activityType) == ["Release"])
        commands = try script.task { $0.activityCompleted("2", result: EmptyValue()) }
        #expect(commands.map(\.commandType) == [.cancelWorkflowExecution])
        #expect(try WorkflowReplayer(workflows: [workflow]).replay(script.closedHistory()).isEmpty)
    }

    @Test func builtInQueriesDescribeWaitsAndDefinitions() throws {
        var script = ScriptedRun(sampleWorkflow, input: "ann")
        try script.task()
        let stack = try script.run.answerQuery(name: "__stack_trace", arguments: .init([]))
        let stackText = String(decoding: stack.data, as: UTF8.self)
        #expect(
            stackText.contains("awaiting activity: TemporalBridgeTests/RuntimeWorkflowTests.swift:"), "\(stackText)")
        #expect(stackText.contains(" Greet (attempt 1 of 3, activityId 1)"), "\(stackText)")
        let metadata = try script.run.answerQuery(name: "__temporal_workflow_metadata", arguments: .init([]))
        #expect(metadata.metadata["encoding"] == Data("json/protobuf".utf8))
        let decoded = try Temporal_Api_Sdk_V1_WorkflowMetadata(jsonUTF8Data: metadata.data)
        #expect(decoded.definition.type == "Sample")
        #expect(decoded.definition.queryDefinitions.map(\.name) == ["status"])
        #expect(decoded.definition.signalDefinitions.map(\.name) == ["approve"])
        #expect(throws: QueryFailure.self) { try script.run.answerQuery(name: "nope", arguments: .init([])) }
        do {
            _ = try script.run.answerQuery(name: "nope", arguments: .init([]))
        } catch let failure as QueryFailure {
            #expect(failure.message.hasSuffix("KnownQueryTypes=[__stack_trace __temporal_workflow_metadata status]"))
        }
    }

    @Test func escapingTheExecutorFailsTheTaskInsteadOfHanging() throws {
        let workflow = WorkflowDefinition(name: "Escape") { (_: String) async throws -> String in
            // Long enough to still be pending when the task ends: a sleep whose deadline has already
            // passed on a loaded machine may return without suspending, which is no escape at all.
            try await Task.sleep(for: .seconds(2))
            return "never"
        }
        var script = ScriptedRun(workflow, input: "x")
        #expect(throws: WorkflowTaskFailure.self) { try script.task() }
    }
}
