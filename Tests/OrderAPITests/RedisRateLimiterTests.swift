import Foundation
import OrderCore
import RedisClient
import Testing

@testable import OrderAPI

/// The shared token bucket in Redis: two limiters on one key prefix are two API replicas.
@Suite("Redis rate limiter")
struct RedisRateLimiterTests {
    private func limiter(_ client: RedisClient, prefix: String, perMinute: Int, burst: Int) -> RedisRateLimiter {
        RedisRateLimiter(
            client: client, settings: RateLimitSettings(perMinute: perMinute, burst: burst), keyPrefix: prefix)
    }

    @Test func burstThenRefusedWithASaneRetryAfter() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        // 1 a minute: a token every 60 s, so no refill sneaks in between these calls even on a loaded machine.
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 1, burst: 3)
        var remaining: [Int] = []
        for _ in 0..<3 {
            let decision = try await subject.acquire(client: "10.0.0.1")
            #expect(decision.allowed)
            remaining.append(decision.remaining)
        }
        #expect(remaining == [2, 1, 0])
        let refused = try await subject.acquire(client: "10.0.0.1")
        #expect(!refused.allowed)
        // The next token is due 60 s after the first acquire, less the time these calls took.
        #expect(refused.retryAfter > .seconds(30) && refused.retryAfter <= .seconds(60))
        let exact = refused.retryAfter / .seconds(1)
        let whole = Double(refused.retryAfterSeconds)
        #expect(whole >= exact && whole < exact + 1, "Retry-After is the wait in whole seconds, rounded up")
        #expect(try await subject.acquire(client: "10.0.0.2").allowed, "another client has its own bucket")
        await client.close()
    }

    @Test func tokensComeBackAtTheConfiguredRate() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        // 12 a minute = a token every 5 s: the refusal right after the burst cannot be a refill, even when the
        // machine is busy enough to delay the second call by seconds.
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 12, burst: 1)
        #expect(try await subject.acquire(client: "c").allowed)
        let refused = try await subject.acquire(client: "c")
        #expect(!refused.allowed)
        #expect(refused.retryAfter <= .seconds(5))
        try await Task.sleep(for: refused.retryAfter + .milliseconds(20))
        #expect(try await subject.acquire(client: "c").allowed)
        await client.close()
    }

    @Test func twoReplicasShareOneBucket() async throws {
        let prefix = RedisAPITestSupport.unique("rl") + ":"
        let clientA = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        let clientB = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        let replicaA = limiter(clientA, prefix: prefix, perMinute: 1, burst: 10)
        let replicaB = limiter(clientB, prefix: prefix, perMinute: 1, burst: 10)
        // 20 concurrent requests spread over both replicas: exactly the burst gets through.
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let replica = index.isMultiple(of: 2) ? replicaA : replicaB
                group.addTask { try await replica.acquire(client: "shared").allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 10)
        #expect(try await !replicaA.acquire(client: "shared").allowed)
        #expect(try await !replicaB.acquire(client: "shared").allowed)
        await clientA.close()
        await clientB.close()
    }

    @Test func anIdleBucketExpires() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        let prefix = RedisAPITestSupport.unique("rl") + ":"
        let subject = limiter(client, prefix: prefix, perMinute: 6, burst: 2)
        _ = try await subject.acquire(client: "c")
        let ttl = try #require(try await client.send(["PTTL", .string(prefix + "c")]).integer)
        // One token missing at one per 10 s: full again after 10 s, kept one second longer.
        #expect(ttl > 0 && ttl <= 11_000)
        await client.close()
    }

    @Test func aForgottenScriptIsSentAgain() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        // 1 a minute: no refill comes between the two acquires, however slow the machine.
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 1, burst: 2)
        #expect(try await subject.acquire(client: "c").allowed)
        // What a Redis restart does to the script cache (other limiters on this server just send theirs again).
        try await client.send(["SCRIPT", "FLUSH"])
        let decision = try await subject.acquire(client: "c")
        #expect(decision.allowed)
        #expect(decision.remaining == 0, "the bucket survived; only the script was forgotten")
        await client.close()
    }

    @Test func anUnreachableRedisThrowsSoTheCallerCanFailOpen() async throws {
        let client = RedisClient(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: 6399), logger: RedisAPITestSupport.logger)
        let subject = limiter(client, prefix: "x:", perMinute: 60, burst: 1)
        await #expect(throws: RedisError.self) { try await subject.acquire(client: "c") }
        await client.close()
    }
}
