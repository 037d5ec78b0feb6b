import Foundation
import Testing

@testable import TemporalBridge

/// WorkflowClient against the real dev server.
@Suite(.serialized)
struct WorkflowClientTests {
    @Test func startDescribeTerminate() async throws {
        let f = try await WorkflowClientFixture.make()
        let input = TestOrderInput(orderId: "A1", amount: 12.5)
        let handle = try await f.start(f.newId(), args: [input], options: .init(memo: ["source": "tests"]))
        #expect(handle.started)
        #expect(!handle.runId.isEmpty)

        let running = try await f.client.describe(handle)
        #expect(running.status == .running)
        #expect(running.workflowType == "TestWorkflow")
        #expect(running.taskQueue == f.taskQueue)
        #expect(running.runId == handle.runId)
        let memo = try #require(running.raw.workflowExecutionInfo.memo.fields["source"])
        #expect(try f.client.converter.fromPayload(memo, as: String.self) == "tests")

        // The input payload is json/plain and decodes back.
        let history = try await f.client.history(handle)
        let started = history.first?.workflowExecutionStartedEventAttributes
        #expect(
            try f.client.converter.fromPayloads(try #require(started).input, at: 0, as: TestOrderInput.self) == input)

        try await f.client.terminate(handle, reason: "done testing")
        let closed = try await f.client.describe(handle)
        #expect(closed.status == .terminated)
        #expect(closed.closeTime != nil)
    }

    @Test func duplicateStartIsAlreadyStartedAndUseExistingAttaches() async throws {
        let f = try await WorkflowClientFixture.make()
        let id = f.newId()
        let first = try await f.start(id)

        let error = await #expect(throws: WorkflowClientError.self) { try await f.start(id) }
        #expect(error == .alreadyStarted(runId: first.runId))

        let attached = try await f.start(id, options: .init(idConflictPolicy: .useExisting))
        #expect(attached.runId == first.runId)
        #expect(!attached.started)

        // The same request id is deduplicated: same run, no error.
        let requestId = UUID().uuidString
        let id2 = f.newId()
        let a = try await f.start(id2, options: .init(requestId: requestId))
        let b = try await f.start(id2, options: .init(requestId: requestId))
        #expect(a.runId == b.runId)
        await f.cleanUp(a)
        await f.cleanUp(first)
    }

    @Test func unknownWorkflowIsNotFound() async throws {
        let f = try await WorkflowClientFixture.make()
        let missing = WorkflowHandle(workflowId: f.newId("missing"), runId: "")
        await #expect(throws: WorkflowClientError.notFound) { try await f.client.describe(missing) }
        await #expect(throws: WorkflowClientError.notFound) { try await f.client.signal(missing, name: "x") }
    }

    @Test func signalAndSignalWithStartLandInHistory() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId())
        try await f.client.signal(handle, name: "cancelOrder", args: [["reason": "changed my mind"]])
        let events = try await f.client.history(handle)
        let signaled = try #require(
            events.first { $0.eventType == .workflowExecutionSignaled }?.workflowExecutionSignaledEventAttributes)
        #expect(signaled.signalName == "cancelOrder")
        #expect(
            try f.client.converter.fromPayloads(signaled.input, at: 0, as: [String: String].self) == [
                "reason": "changed my mind"
            ])
        await f.cleanUp(handle)

        let id = f.newId("sws")
        let created = try await f.client.signalWithStart(
            workflowType: "TestWorkflow", id: id, taskQueue: f.taskQueue, args: [1], signal: "approve",
            signalArgs: ["yes"])
        #expect(created.started)
        let again = try await f.client.signalWithStart(
            workflowType: "TestWorkflow", id: id, taskQueue: f.taskQueue, signal: "approve", signalArgs: ["again"])
        #expect(again.runId == created.runId)
        let signals = try await f.client.history(created).filter { $0.eventType == .workflowExecutionSignaled }
        #expect(signals.count == 2)
        await f.cleanUp(created)
    }

    @Test func requestCancelRecordsTheReason() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId())
        try await f.client.requestCancel(handle, reason: "customer asked")
        let events = try await f.client.history(handle)
        let requested = events.first { $0.eventType == .workflowExecutionCancelRequested }
        #expect(requested?.workflowExecutionCancelRequestedEventAttributes.cause == "customer asked")
        await f.cleanUp(handle)
    }

    @Test func queryWithoutWorkerTimesOutAndClosedRunIsRejected() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId())
        let error = await #expect(throws: WorkflowClientError.self) {
            _ = try await f.client.query(handle, name: "getStatus", as: String.self, timeout: .seconds(3))
        }
        #expect(error == .timeout)

        try await f.client.terminate(handle, reason: "closing")
        await #expect(throws: WorkflowClientError.queryRejected(status: .terminated)) {
            _ = try await f.client.query(
                handle, name: "getStatus", as: String.self, rejectCondition: .notOpen, timeout: .seconds(5))
        }
    }

    @Test func resultDecodesCompletionAndFollowsContinueAsNew() async throws {
        let f = try await WorkflowClientFixture.make()
        let worker = FakeWorkflowWorker(service: f.service, taskQueue: f.taskQueue)
        let handle = try await f.start(f.newId())
        let waiter = Task { try await f.client.result(handle, as: TestOrderInput.self) }

        let next = try f.client.converter.toPayloads(2)
        try await worker.completeNextTask(with: [
            FakeWorkflowWorker.continueAsNew(type: "TestWorkflow", taskQueue: f.taskQueue, input: next)
        ])
        let expected = TestOrderInput(orderId: "A1", amount: 99.99)
        let secondRun = try await worker.completeNextTask(with: [
            FakeWorkflowWorker.complete(with: try f.client.converter.toPayloads(expected))
        ])
        #expect(secondRun.workflowExecution.runID != handle.runId)
        #expect(try await waiter.value == expected)
    }

    @Test func resultThrowsTypedOutcomes() async throws {
        let f = try await WorkflowClientFixture.make()
        let worker = FakeWorkflowWorker(service: f.service, taskQueue: f.taskQueue)

        let failing = try await f.start(f.newId("fail"))
        try await worker.completeNextTask(with: [
            FakeWorkflowWorker.fail(message: "too expensive", type: "PaymentDeclined")
        ])
        let failure = await #expect(throws: WorkflowFailedError.self) {
            _ = try await f.client.result(failing, as: String.self)
        }
        #expect(failure?.failure.message == "too expensive")
        #expect(failure?.applicationFailureType == "PaymentDeclined")

        let terminated = try await f.start(f.newId("term"))
        try await f.client.terminate(terminated, reason: "stop it")
        await #expect(throws: WorkflowClientError.workflowTerminated(reason: "stop it")) {
            _ = try await f.client.result(terminated, as: String.self)
        }

        let timingOut = try await f.start(f.newId("timeout"), options: .init(executionTimeout: .seconds(2)))
        await #expect(throws: WorkflowClientError.workflowTimedOut) {
            _ = try await f.client.result(timingOut, as: String.self)
        }
    }

    @Test func sixMegabyteHistoryIsReadInFull() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId("big"))
        let chunk = Data(repeating: 0x5A, count: 1_500_000)
        for _ in 0..<4 { try await f.client.signal(handle, name: "blob", args: [chunk]) }
        let events = try await f.client.history(handle)
        let blobs = events.filter { $0.eventType == .workflowExecutionSignaled }
        #expect(blobs.count == 4)
        let bytes = blobs.reduce(0) { $0 + $1.workflowExecutionSignaledEventAttributes.input.payloads[0].data.count }
        #expect(bytes == 6_000_000)
        #expect(
            try f.client.converter.fromPayloads(
                blobs[3].workflowExecutionSignaledEventAttributes.input, at: 0, as: Data.self) == chunk)
        await f.cleanUp(handle)
    }

    @Test func payloadOverTheBlobLimitIsInvalidArgument() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId("toolarge"))
        let error = await #expect(throws: WorkflowClientError.self) {
            try await f.client.signal(handle, name: "blob", args: [Data(repeating: 1, count: 3 * 1024 * 1024)])
        }
        guard case .rpc(let rpc)? = error else {
            Issue.record("expected an rpc error, got \(String(describing: error))")
            await f.cleanUp(handle)
            return
        }
        #expect(rpc.code == .invalidArgument)
        await f.cleanUp(handle)
    }

    @Test func listFindsTheRunByVisibilityQuery() async throws {
        let f = try await WorkflowClientFixture.make()
        let handle = try await f.start(f.newId("list"))
        // Visibility is eventually consistent: allow it a few seconds.
        var found: [Temporal_Api_Workflow_V1_WorkflowExecutionInfo] = []
        for _ in 0..<25 where found.isEmpty {
            found = try await f.client.list(query: "WorkflowId = '\(handle.workflowId)'")
            if found.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(found.map(\.execution.runID) == [handle.runId])
        await f.cleanUp(handle)
    }
}
