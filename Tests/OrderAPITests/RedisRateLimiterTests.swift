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
        // 6 a minute: a token every 10 s, so no refill can sneak in between these calls.
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 6, burst: 3)
        var remaining: [Int] = []
        for _ in 0..<3 {
            let decision = try await subject.acquire(client: "10.0.0.1")
            #expect(decision.allowed)
            remaining.append(decision.remaining)
        }
        #expect(remaining == [2, 1, 0])
        let refused = try await subject.acquire(client: "10.0.0.1")
        #expect(!refused.allowed)
        #expect(refused.retryAfter > .seconds(9) && refused.retryAfter <= .seconds(10))
        #expect(refused.retryAfterSeconds == 10)
        #expect(try await subject.acquire(client: "10.0.0.2").allowed, "another client has its own bucket")
        await client.close()
    }

    @Test func tokensComeBackAtTheConfiguredRate() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        // 60 a minute = one token a second: the refusal right after the burst cannot be a refill.
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 60, burst: 1)
        #expect(try await subject.acquire(client: "c").allowed)
        let refused = try await subject.acquire(client: "c")
        #expect(!refused.allowed)
        #expect(refused.retryAfter <= .seconds(1))
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
        let subject = limiter(client, prefix: prefix, perMinute: 600, burst: 2)
        _ = try await subject.acquire(client: "c")
        let ttl = try #require(try await client.send(["PTTL", .string(prefix + "c")]).integer)
        // One token missing at 10 a second: full again after 100 ms, kept one second longer.
        #expect(ttl > 0 && ttl <= 1100)
        await client.close()
    }

    @Test func aForgottenScriptIsSentAgain() async throws {
        let client = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        let subject = limiter(client, prefix: RedisAPITestSupport.unique("rl") + ":", perMinute: 60, burst: 2)
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
