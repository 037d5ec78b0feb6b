import Foundation
import Testing

@testable import TemporalBridge

/// One `TemporalConnection` against a private dev server that is absent, killed mid-call, frozen and
/// restarted: every failure is a typed error, and the same connection serves again afterwards.
/// Ports 7311 (gRPC) and 7312 (UI, unused with --headless) belong to this suite.
@Suite("Disruptive: transport recovery on a private Temporal server", .serialized)
struct DisruptiveTransportRecoveryTests {
    static let port = 7311
    static let uiPort = 7312

    @Test func serverDownIsUnavailableThenTheSameConnectionServesOnceItStarts() async throws {
        try await PrivateTemporalServer.with(port: Self.port, uiPort: Self.uiPort) { server in
            let connection = try TemporalConnection(options: TemporalConnectionOptions(target: server.target))
            let service = WorkflowServiceClient(connection: connection)
            let client = WorkflowClient(connection: connection)

            // Nothing listens yet: connection refused.
            let refused = await #expect(throws: TemporalRPCError.self) {
                _ = try await service.getSystemInfo(timeout: .seconds(5), retry: .none)
            }
            #expect(refused?.code == .unavailable)
            #expect(refused?.method == "GetSystemInfo")
            await expectClientUnavailable {
                _ = try await client.describe(WorkflowHandle(workflowId: "nothing-listens", runId: ""))
            }

            try await server.start()
            try await server.waitUntilServing(connection)
            let queue = TransportTestSupport.uniqueName("refused-then-served")
            let handle = try await client.start(workflowType: "NoWorkerNeeded", id: queue, taskQueue: queue)
            let described = try await client.describe(handle)
            #expect(described.runId == handle.runId)
            #expect(described.status == .running)
            #expect(connection.callsInFlight == 0)
        }
    }

    @Test func killMidLongPollIsUnavailableAndRetriedCallsSucceedAcrossTheRestart() async throws {
        try await PrivateTemporalServer.with(port: Self.port, uiPort: Self.uiPort) { server in
            try await server.start()
            let connection = try TemporalConnection(options: TemporalConnectionOptions(target: server.target))
            let service = WorkflowServiceClient(connection: connection)
            let client = WorkflowClient(connection: connection)
            try await server.waitUntilServing(connection)

            // A long poll (server holds it ~60 s) and the kill arrives while it waits.
            let pollQueue = TransportTestSupport.uniqueName("killed-poll")
            let poll = Task {
                try await service.pollWorkflowTaskQueue(TransportTestSupport.pollRequest(queue: pollQueue))
            }
            try await waitUntil("the long poll is in flight") { connection.callsInFlight == 1 }
            try await Task.sleep(for: .milliseconds(500))  // let it reach the server's matching service
            await server.kill()

            let pollError = await #expect(throws: TemporalRPCError.self) { _ = try await poll.value }
            #expect(pollError?.code == .unavailable)
            #expect(pollError?.method == "PollWorkflowTaskQueue")

            // While it is down, single attempts fail fast with the typed error, on both API levels.
            let down = await #expect(throws: TemporalRPCError.self) {
                _ = try await service.getSystemInfo(timeout: .seconds(5), retry: .none)
            }
            #expect(down?.code == .unavailable)
            await expectClientUnavailable {
                _ = try await client.describe(WorkflowHandle(workflowId: "server-is-down", runId: ""))
            }

            // Calls with a retry policy, started while the server is down, ride out the restart (the timeout
            // bounds each call, retries included, so it leaves room for the dev server's start).
            let retry = RPCRetryPolicy.safe(maxAttempts: 40)
            let startQueue = TransportTestSupport.uniqueName("started-across-restart")
            var start = Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest()
            start.workflowID = startQueue
            start.workflowType.name = "NoWorkerNeeded"
            start.taskQueue = WorkflowClient.taskQueue(startQueue)
            start.requestID = UUID().uuidString
            let retriedStart = Task { [start] in
                try await service.startWorkflowExecution(start, timeout: .seconds(60), retry: retry)
            }
            let retriedDescribes = Task {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
                            request.namespace = "default"
                            return try await service.describeNamespace(request, timeout: .seconds(60), retry: retry)
                                .namespaceInfo.name
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .seconds(1))
            try await server.start()

            let started = try await retriedStart.value
            #expect(!started.runID.isEmpty)
            #expect(try await retriedDescribes.value == Array(repeating: "default", count: 10))

            // The same connection carries everything again, long polls included.
            let described = try await client.describe(WorkflowHandle(workflowId: startQueue, runId: started.runID))
            #expect(described.status == .running)
            let emptyPoll = try await service.pollWorkflowTaskQueue(
                TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("after-restart")),
                timeout: .seconds(3))
            #expect(emptyPoll.taskToken.isEmpty)
            #expect(connection.callsInFlight == 0)
        }
    }

    @Test func frozenServerIsDeadlineExceededThenTheSameConnectionServesAgain() async throws {
        try await PrivateTemporalServer.with(port: Self.port, uiPort: Self.uiPort) { server in
            try await server.start()
            let connection = try TemporalConnection(options: TemporalConnectionOptions(target: server.target))
            let service = WorkflowServiceClient(connection: connection)
            try await server.waitUntilServing(connection)

            // SIGSTOP keeps the TCP connection open, so only the deadline can end the call;
            // DEADLINE_EXCEEDED is not retried even under a retry policy.
            await server.freeze()
            let frozen = await #expect(throws: TemporalRPCError.self) {
                _ = try await service.getSystemInfo(timeout: .milliseconds(500), retry: .safe(maxAttempts: 3))
            }
            #expect(frozen?.code == .deadlineExceeded)
            #expect(connection.callsInFlight == 0)

            server.thaw()
            let info = try await service.getSystemInfo(timeout: .seconds(10), retry: .none)
            #expect(!info.serverVersion.isEmpty)
            let queue = TransportTestSupport.uniqueName("after-thaw")
            let handle = try await WorkflowClient(connection: connection)
                .start(workflowType: "NoWorkerNeeded", id: queue, taskQueue: queue)
            #expect(!handle.runId.isEmpty)
        }
    }

    private func expectClientUnavailable(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async {
        let error = await #expect(throws: WorkflowClientError.self, sourceLocation: sourceLocation) {
            try await body()
        }
        guard case .unavailable? = error else {
            Issue.record("expected WorkflowClientError.unavailable, got \(String(describing: error))")
            return
        }
    }

    private func waitUntil(_ what: String, within limit: Duration = .seconds(10), _ condition: () -> Bool)
        async throws
    {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
