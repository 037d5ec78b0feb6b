import Foundation
import Testing

@testable import TemporalBridge

@Suite("RPC retry policy")
struct RPCRetryPolicyTests {
    @Test func defaultFollowsTheOfficialSDKs() {
        let policy = RPCRetryPolicy.default
        let nominal = (1...10).map { policy.nominalDelay(afterAttempt: $0) }
        #expect(nominal[0] == .milliseconds(100))
        #expect(abs(Self.ms(nominal[1]) - 170) < 1)
        #expect(abs(Self.ms(nominal[2]) - 289) < 1)
        #expect(nominal[8] == .seconds(5) && nominal[9] == .seconds(5), "capped at 5 s")
        #expect(policy.maxElapsed == .seconds(10))
        #expect(policy.maxAttempts == 11)
    }

    @Test func retriesSpanTheElapsedBudgetWhateverTheJitter() {
        // Lowest and highest jitter: either way the last retry starts at 10 s, not before, never after.
        for draw in [0.8, 1.0, 1.2] {
            let schedule = Self.schedule(.default, draw: draw)
            #expect(schedule.last.map { abs(Self.ms($0) - 10_000) < 1 } == true, "\(draw): \(schedule)")
            #expect(schedule.count <= 10)
            #expect(schedule.count >= 8)
        }
    }

    @Test func jitterStaysWithinItsShare() {
        let policy = RPCRetryPolicy.default
        for _ in 0..<200 {
            let delay = Self.ms(policy.delay(afterAttempt: 3, elapsed: .zero)!)
            #expect(delay >= 289 * 0.8 - 1 && delay <= 289 * 1.2 + 1)
        }
    }

    @Test func noneAndSafeBounds() {
        #expect(RPCRetryPolicy.none.delay(afterAttempt: 1, elapsed: .zero) == nil)
        let three = RPCRetryPolicy.safe(maxAttempts: 3)
        #expect(three.maxElapsed == nil)
        #expect(three.delay(afterAttempt: 2, elapsed: .seconds(100)) != nil)
        #expect(three.delay(afterAttempt: 3, elapsed: .zero) == nil)
        #expect(RPCRetryPolicy.default.delay(afterAttempt: 2, elapsed: .seconds(10)) == nil)
    }

    /// When each retry starts (time since the first attempt), attempts taking no time.
    static func schedule(_ policy: RPCRetryPolicy, draw: Double) -> [Duration] {
        var elapsed = Duration.zero
        var starts: [Duration] = []
        var attempt = 1
        while let delay = policy.delay(afterAttempt: attempt, elapsed: elapsed, random: { _ in draw }) {
            elapsed += delay
            starts.append(elapsed)
            attempt += 1
        }
        return starts
    }

    static func ms(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

/// The default policy against a real restart. Ports 7490 (gRPC) and 7491 (UI, unused) belong to this suite.
@Suite("Disruptive: default RPC retries ride out a Temporal restart", .serialized)
struct DisruptiveRPCRetryTests {
    @Test func aCallRidesOutSeveralSecondsWithoutAServer() async throws {
        try await PrivateTemporalServer.with(port: 7490, uiPort: 7491) { server in
            try await server.start()
            let connection = try TemporalConnection(options: TemporalConnectionOptions(target: server.target))
            try await server.waitUntilServing(connection)
            let service = WorkflowServiceClient(connection: connection)
            await server.kill()

            let clock = ContinuousClock()
            let started = clock.now
            let call = Task {
                var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
                request.namespace = "default"
                // The default policy, as the API's and the worker's calls use it; the timeout is not the limit here.
                return try await service.describeNamespace(request, timeout: .seconds(30))
            }
            // Down for about five seconds: four here, then the dev server's own start.
            try await Task.sleep(for: .seconds(4))
            try await server.start()
            let answer = try await call.value
            let took = clock.now - started
            #expect(answer.namespaceInfo.name == "default")
            #expect(took >= .seconds(4))
            #expect(took < .seconds(12), "took \(took)")
            #expect(connection.callsInFlight == 0)
        }
    }
}
