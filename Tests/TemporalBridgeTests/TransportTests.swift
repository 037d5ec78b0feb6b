import Foundation
import SwiftProtobuf
import Testing

@testable import TemporalBridge

/// The raw transport (C shim + TemporalConnection) against the real dev server.
@Suite(.serialized)
struct TransportTests {
    @Test func getSystemInfoDecodesTypedAndUntypedResponses() async throws {
        let connection = try await TransportTestSupport.connect()
        let typed: Temporal_Api_Workflowservice_V1_GetSystemInfoResponse = try await connection.unary(
            "GetSystemInfo", Temporal_Api_Workflowservice_V1_GetSystemInfoRequest(), timeout: .seconds(10))
        #expect(!typed.serverVersion.isEmpty)
        // Unknown fields are skipped: an Empty decodes any response.
        let _: Google_Protobuf_Empty = try await connection.unary(
            "GetSystemInfo", Google_Protobuf_Empty(), timeout: .seconds(10))
        #expect(connection.callsInFlight == 0)
    }

    @Test func unknownNamespaceIsNotFoundWithDecodedDetail() async throws {
        let connection = try await TransportTestSupport.connect()
        var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
        request.namespace = TransportTestSupport.uniqueName("no-such-ns")
        let error = await #expect(throws: TemporalRPCError.self) {
            let _: Temporal_Api_Workflowservice_V1_DescribeNamespaceResponse = try await connection.unary(
                "DescribeNamespace", request, timeout: .seconds(10))
        }
        #expect(error?.code == .notFound)
        #expect(error?.method == "DescribeNamespace")
        #expect(error?.detail == .namespaceNotFound(request.namespace))
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        let connection = try await TransportTestSupport.connect()
        let error = await #expect(throws: TemporalRPCError.self) {
            let _: Google_Protobuf_Empty = try await connection.unary(
                "NoSuchMethod", Google_Protobuf_Empty(), timeout: .seconds(10))
        }
        #expect(error?.code == .unimplemented)
        #expect(error?.details == [])
    }

    @Test func hungServerIsDeadlineExceeded() async throws {
        let listener = try SilentTCPListener()
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: "127.0.0.1:\(listener.port)"))
        let (error, took) = await measureElapsed {
            await #expect(throws: TemporalRPCError.self) {
                let _: Google_Protobuf_Empty = try await connection.unary(
                    "GetSystemInfo", Google_Protobuf_Empty(), timeout: .milliseconds(300), retry: .none)
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(took < .seconds(2))
        withExtendedLifetime(listener) {}
    }

    @Test func longPollWithShortDeadlineIsRejectedByTheServer() async throws {
        let connection = try await TransportTestSupport.connect()
        let request = TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("short-poll"))
        let error = await #expect(throws: TemporalRPCError.self) {
            let _: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse = try await connection.unary(
                "PollWorkflowTaskQueue", request, timeout: .milliseconds(1500), retry: .none)
        }
        #expect(error?.code == .failedPrecondition)
    }

    @Test func connectionRefusedIsUnavailableAfterRetries() async throws {
        let connection = try TemporalConnection(options: TemporalConnectionOptions(target: "127.0.0.1:1"))
        let (error, took) = await measureElapsed {
            await #expect(throws: TemporalRPCError.self) {
                let _: Google_Protobuf_Empty = try await connection.unary(
                    "GetSystemInfo", Google_Protobuf_Empty(), timeout: .seconds(5), retry: .safe(maxAttempts: 3))
            }
        }
        #expect(error?.code == .unavailable)
        #expect(took < .seconds(20))
    }

    @Test func timeoutBoundsTheRetriesToo() async throws {
        // Forty attempts would back off for over a minute; the timeout ends the call first, with the last error.
        let connection = try TemporalConnection(options: TemporalConnectionOptions(target: "127.0.0.1:1"))
        let (error, took) = await measureElapsed {
            await #expect(throws: TemporalRPCError.self) {
                let _: Google_Protobuf_Empty = try await connection.unary(
                    "GetSystemInfo", Google_Protobuf_Empty(), timeout: .seconds(1), retry: .safe(maxAttempts: 40))
            }
        }
        #expect(error?.code == .unavailable)
        #expect(took < .seconds(3))
    }

    @Test func emptyLongPollAnswersOKWithoutTask() async throws {
        let connection = try await TransportTestSupport.connect()
        let request = TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("empty-poll"))
        let (response, took): (Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse, Duration) =
            try await measureElapsed {
                try await connection.unary("PollWorkflowTaskQueue", request, timeout: .seconds(3), retry: .none)
            }
        #expect(response.taskToken.isEmpty)
        // The server answers about a second before the deadline (an answer after it would have thrown
        // DEADLINE_EXCEEDED); the margin is for a loaded machine resuming the caller late (3.1 s once beside a build).
        #expect(took < .seconds(4))
    }

    @Test func cancellingTheTaskCancelsALongPollWithinOneSecond() async throws {
        let connection = try await TransportTestSupport.connect()
        let request = TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("cancel-poll"))
        let poll = Task {
            let _: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse = try await connection.unary(
                "PollWorkflowTaskQueue", request, timeout: .seconds(70), retry: .none)
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(connection.callsInFlight == 1)
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        poll.cancel()
        let outcome = await poll.result
        #expect(clock.now - cancelledAt < .seconds(1))
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(connection.callsInFlight == 0)
    }

    @Test func alreadyCancelledTaskDoesNotWaitForTheServer() async throws {
        let connection = try await TransportTestSupport.connect()
        let request = TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("precancelled"))
        let poll = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let _: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse = try await connection.unary(
                "PollWorkflowTaskQueue", request, timeout: .seconds(70), retry: .none)
        }
        let (outcome, took) = await measureElapsed { await poll.result }
        #expect(took < .seconds(1))
        #expect(throws: CancellationError.self) { try outcome.get() }
    }

    @Test func fiftyConcurrentCallsShareOneChannel() async throws {
        let connection = try await TransportTestSupport.connect()
        let versions = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let response: Temporal_Api_Workflowservice_V1_GetSystemInfoResponse = try await connection.unary(
                        "GetSystemInfo", Temporal_Api_Workflowservice_V1_GetSystemInfoRequest(), timeout: .seconds(10))
                    return response.serverVersion
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(versions.count == 50)
        #expect(Set(versions).count == 1)
    }

    @Test func droppingTheConnectionCancelsNothingWhileCallsHoldIt() async throws {
        // A call keeps its connection alive, so it completes normally even when
        // the caller drops its own reference right after starting it.
        var connection: TemporalConnection? = try await TransportTestSupport.connect()
        let request = TransportTestSupport.pollRequest(queue: TransportTestSupport.uniqueName("held"))
        let poll = Task { [connection] in
            let response: Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse = try await connection!.unary(
                "PollWorkflowTaskQueue", request, timeout: .seconds(3), retry: .none)
            return response.taskToken.isEmpty
        }
        connection = nil
        #expect(try await poll.value)
    }

    @Test func typedClientFillsInTheNamespace() async throws {
        let service = WorkflowServiceClient(connection: try await TransportTestSupport.connect())
        let described = try await service.describeNamespace(Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest())
        #expect(described.namespaceInfo.name == "default")
        let info = try await service.getSystemInfo()
        #expect(!info.serverVersion.isEmpty)
    }
}
