import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderCore
import RedisClient
import Testing

@testable import OrderAPI

/// POST /api/orders is rate limited per client; nothing else is.
@Suite struct RateLimitTests {
    struct FailingLimiter: RateLimiter {
        let settings = RateLimitSettings(perMinute: 1, burst: 1)
        func acquire(client: String) async throws -> RateLimitDecision {
            throw RedisError(kind: .connection, message: "Redis is down")
        }
    }

    @Test func overTheLimitIs429WithRetryAfter() async throws {
        var harness = RedisAPIHarness()
        harness.rateLimiter = InProcessRateLimiter(settings: RateLimitSettings(perMinute: 6, burst: 2))
        try await harness.run { (client) async throws in
            for index in 0..<2 {
                let accepted = try await client.postJSON("/api/orders", Bodies.order(orderId: "rl-\(index)"))
                #expect(accepted.status == .created)
            }
            let refused = try await client.postJSON("/api/orders", Bodies.order(orderId: "rl-2"))
            refused.expectProblem(.tooManyRequests, type: "rate-limited")
            // 6 a minute: the next token is at most 10 s away (less by the time the first two took).
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...10).contains(retryAfter))
            #expect(
                refused.json["detail"] as? String
                    == "Too many orders from this client: at most 6 a minute, 2 at once. Retry after \(retryAfter) s.")
            // Invalid bodies count too: the limit protects the endpoint, not just successful orders.
            try await client.postJSON("/api/orders", "{").expectProblem(.tooManyRequests, type: "rate-limited")
        }
        #expect(await harness.gateway.startCalls == 2, "a refused request never reaches Temporal")
    }

    @Test func onlyOrderCreationIsLimited() async throws {
        var harness = RedisAPIHarness()
        harness.rateLimiter = InProcessRateLimiter(settings: RateLimitSettings(perMinute: 1, burst: 1))
        try await harness.run { (client) async throws in
            #expect(try await client.postJSON("/api/orders", Bodies.order(orderId: "only-1")).status == .created)
            for _ in 0..<5 {
                #expect(try await client.get("/api/orders").status == .ok)
                #expect(try await client.get("/api/products").status == .ok)
                #expect(try await client.postJSON("/api/orders/only-1/cancel", "{}").status != .tooManyRequests)
            }
            #expect(
                try await client.postJSON("/api/orders", Bodies.order(orderId: "only-2")).status == .tooManyRequests)
        }
    }

    @Test func aFailingLimiterLetsRequestsThrough() async throws {
        var harness = RedisAPIHarness()
        harness.rateLimiter = FailingLimiter()
        try await harness.run { (client) async throws in
            for index in 0..<3 {
                let response = try await client.postJSON("/api/orders", Bodies.order(orderId: "open-\(index)"))
                #expect(response.status == .created)
            }
        }
    }

    @Test func limitingCanBeTurnedOff() async throws {
        let harness = RedisAPIHarness()  // rateLimiter nil: RATE_LIMIT_PER_MINUTE=0
        try await harness.run { (client) async throws in
            for index in 0..<30 {
                #expect(
                    try await client.postJSON("/api/orders", Bodies.order(orderId: "off-\(index)")).status == .created)
            }
        }
    }

    @Test func twoReplicasShareTheBucketInRedisPerClientIP() async throws {
        let redis = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        let prefix = RedisAPITestSupport.unique("api-rl") + ":"
        let settings = RateLimitSettings(perMinute: 1, burst: 3)
        var replicaA = RedisAPIHarness()
        replicaA.rateLimiter = RedisRateLimiter(client: redis, settings: settings, keyPrefix: prefix)
        var replicaB = RedisAPIHarness()
        replicaB.rateLimiter = RedisRateLimiter(client: redis, settings: settings, keyPrefix: prefix)

        // Real sockets, so the client is identified by its address (127.0.0.1).
        let firstRequest = ContinuousClock.now
        try await replicaA.run(.live) { (client) async throws in
            #expect(try await client.postJSON("/api/orders", Bodies.order(orderId: "a-1")).status == .created)
            #expect(try await client.postJSON("/api/orders", Bodies.order(orderId: "a-2")).status == .created)
        }
        try await replicaB.run(.live) { (client) async throws in
            #expect(try await client.postJSON("/api/orders", Bodies.order(orderId: "b-1")).status == .created)
            let refused = try await client.postJSON("/api/orders", Bodies.order(orderId: "b-2"))
            refused.expectProblem(.tooManyRequests, type: "rate-limited")
            // One token a minute, refilling since the first request: 60 s less the whole seconds gone since.
            let gone = Int((ContinuousClock.now - firstRequest).components.seconds)
            let retryAfter = try #require(Int(refused.headers[.retryAfter] ?? ""))
            #expect(((59 - gone)...60).contains(retryAfter), "Retry-After \(retryAfter) after \(gone) s")
        }
        #expect(try await redis.send(["EXISTS", .string(prefix + "127.0.0.1")]) == .integer(1))
        await redis.close()
    }
}
