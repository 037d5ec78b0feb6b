import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderCore
import RedisClient
import Testing

@testable import OrderAPI

/// `/readyz` lists Redis only when it is configured, and Redis down only degrades.
@Suite struct RedisReadinessTests {
    @Test func redisIsNotListedWhenNotConfigured() async throws {
        try await RedisAPIHarness().run { (client) async throws in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            let checks = try #require(response.json["checks"] as? [String: Any])
            #expect(Set(checks.keys) == ["postgres", "temporal"])
        }
    }

    @Test func aLiveRedisIsListedUp() async throws {
        let redis = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        var harness = RedisAPIHarness()
        harness.redisProbe = { try await redis.ping() }
        try await harness.run { (client) async throws in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ready")
            let checks = try #require(response.json["checks"] as? [String: [String: Any]])
            #expect(checks["redis"]?["status"] as? String == "up")
        }
        await redis.close()
    }

    @Test func anUnreachableRedisIsListedDownButTheAPIStaysReady() async throws {
        // Nothing listens on 6399 (a private port of these tests).
        let redis = RedisClient(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: 6399), logger: RedisAPITestSupport.logger)
        var harness = RedisAPIHarness()
        harness.redisProbe = { try await redis.ping() }
        try await harness.run { (client) async throws in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "degraded")
            let checks = try #require(response.json["checks"] as? [String: [String: Any]])
            #expect(checks["redis"]?["status"] as? String == "down")
            #expect((checks["redis"]?["detail"] as? String)?.contains("6399") == true)
            #expect(checks["postgres"]?["status"] as? String == "up")
        }
        await redis.close()
    }

    @Test func postgresDownIsStill503WithRedisListed() async throws {
        var harness = RedisAPIHarness()
        harness.redisProbe = {}
        await harness.repository.setDown(true)
        try await harness.run { (client) async throws in
            let response = try await client.get("/readyz")
            response.expectProblem(.serviceUnavailable, type: "not-ready")
            #expect(response.problemFields == ["postgres"])
            let checks = try #require(response.json["checks"] as? [String: [String: Any]])
            #expect(checks["redis"]?["status"] as? String == "up")
        }
    }
}
