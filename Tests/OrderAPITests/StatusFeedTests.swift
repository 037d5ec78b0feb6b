import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OrderCore
import OrderStatusFeed
import RedisClient
import Testing

@testable import OrderAPI

/// `GET /api/orders/events`: without Redis a documented 503, with Redis the worker's changes
/// relayed as Server-Sent Events over a real socket.
@Suite struct StatusFeedTests {
    @Test func withoutRedisTheFeedIsUnavailableAndThePagePolls() async throws {
        try await RedisAPIHarness().run { (client) async throws in
            let response = try await client.get("/api/orders/events")
            response.expectProblem(.serviceUnavailable, type: "status-feed-unavailable")
            #expect(response.headers[.retryAfter] == nil, "not a temporary condition")
            let config = try await client.get("/api/config")
            #expect(config.json["status_feed_url"] == nil)
        }
    }

    @Test func aBadOrderIdIs400() async throws {
        var harness = RedisAPIHarness()
        let (source, _) = AsyncStream.makeStream(of: RedisSubscriber.Event.self)
        harness.statusFeed = StatusFeedHub(source: source, stopSource: {}, logger: RedisAPITestSupport.logger)
        try await harness.run { (client) async throws in
            let response = try await client.get("/api/orders/events?order_id=not%20valid")
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(response.problemFields == ["order_id"])
            let config = try await client.get("/api/config")
            #expect(config.json["status_feed_url"] as? String == "/api/orders/events")
        }
    }

    @Test func publishedChangesArriveAsServerSentEventsAndShutdownEndsTheStream() async throws {
        let channel = RedisAPITestSupport.unique("feed")
        let subscriber = RedisSubscriber(
            endpoint: RedisAPITestSupport.endpoint, channels: [channel], logger: RedisAPITestSupport.logger)
        let hub = StatusFeedHub(
            subscriber: subscriber, keepaliveInterval: .milliseconds(100), logger: RedisAPITestSupport.logger)
        let hubTask = Task { try await hub.run() }
        let publisher = RedisClient(endpoint: RedisAPITestSupport.endpoint, logger: RedisAPITestSupport.logger)
        var harness = RedisAPIHarness()
        harness.statusFeed = hub

        try await harness.run(.live) { (client) async throws in
            let port = try #require(client.port)
            let stream = try StreamingHTTPClient(port: port, path: "/api/orders/events?order_id=ord-feed-1")
            #expect(await stream.waitFor(": connected"), "got: \(stream.text)")
            #expect(stream.text.hasPrefix("HTTP/1.1 200"))
            #expect(stream.text.lowercased().contains("content-type: text/event-stream"))

            // PUBLISH answers how many subscribers got it: 1 once the hub's subscription is in place.
            let probe = OrderStatusChange(orderId: "probe", status: .created, updatedAt: Date())
            #expect(
                try await RedisAPITestSupport.eventually {
                    try await publisher.publish(probe.encoded(), to: channel) == 1
                })

            let otherOrder = OrderStatusChange(orderId: "ord-feed-2", status: .created, updatedAt: Date())
            try await publisher.publish(otherOrder.encoded(), to: channel)
            try await publisher.publish(Array("not json".utf8), to: channel)
            let change = OrderStatusChange(
                orderId: "ord-feed-1", status: .failed, step: "SendNotification",
                failureReason: "InsufficientInventory",
                updatedAt: Date(timeIntervalSince1970: 1_800_000_000.25))
            try await publisher.publish(change.encoded(), to: channel)

            let expected =
                #"event: order-status\#ndata: {"failure_reason":"InsufficientInventory","order_id":"ord-feed-1","status":"failed","step":"SendNotification","updated_at":"2027-01-15T08:00:00.250Z"}\#n\#n"#
            #expect(await stream.waitFor(expected), "got: \(stream.text)")
            #expect(!stream.text.contains("ord-feed-2"), "filtered by order_id")
            #expect(!stream.text.contains("probe"))
            #expect(await stream.waitFor(": keepalive"))

            // Server shutdown: the hub ends every stream (the last chunk of the response).
            hubTask.cancel()
            #expect(await stream.waitFor("0\r\n\r\n"), "got: \(stream.text)")
            #expect(hub.listenerCount == 0)
            stream.close()
        }
        _ = try? await hubTask.value
        await publisher.close()
    }

    @Test func aClientThatHangsUpIsForgotten() async throws {
        let (source, sourceContinuation) = AsyncStream.makeStream(of: RedisSubscriber.Event.self)
        let hub = StatusFeedHub(
            source: source, stopSource: { sourceContinuation.finish() }, keepaliveInterval: .milliseconds(50),
            logger: RedisAPITestSupport.logger)
        let hubTask = Task { try await hub.run() }
        var harness = RedisAPIHarness()
        harness.statusFeed = hub
        try await harness.run(.live) { (client) async throws in
            let port = try #require(client.port)
            let stream = try StreamingHTTPClient(port: port, path: "/api/orders/events")
            #expect(await stream.waitFor(": connected"))
            #expect(hub.listenerCount == 1)

            // Relayed from the subscription without an order filter.
            let change = OrderStatusChange(orderId: "any", status: .completed, updatedAt: Date())
            sourceContinuation.yield(.message(channel: OrderStatusChange.channel, payload: change.encoded()))
            #expect(await stream.waitFor(#""order_id":"any""#))

            stream.close()
            // The next keepalive write fails and the handler lets go of its subscription.
            #expect(await RedisAPITestSupport.eventually { hub.listenerCount == 0 })
        }
        hubTask.cancel()
        _ = try? await hubTask.value
    }

    @Test func formatOfEvents() {
        #expect(StatusFeedHandler.format(.keepalive) == ": keepalive\n\n")
        let change = OrderStatusChange(
            orderId: "o-1", status: .inventoryReserved, step: "CheckInventory",
            updatedAt: Date(timeIntervalSince1970: 0))
        #expect(
            StatusFeedHandler.format(.change(change))
                == "event: order-status\ndata: {\"order_id\":\"o-1\",\"status\":\"inventory_reserved\",\"step\":\"CheckInventory\",\"updated_at\":\"1970-01-01T00:00:00.000Z\"}\n\n"
        )
    }
}
