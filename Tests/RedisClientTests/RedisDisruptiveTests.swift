import Foundation
import RedisClient
import Testing

/// Redis restarts under a client and a subscription. Uses a redis-server of its own on port 6390,
/// so the shared one is never touched.
@Suite("Redis restart (Disruptive)", .serialized)
struct RedisDisruptiveTests {
    @Test func clientAndSubscriberRecoverAfterARestart() async throws {
        let server = PrivateRedisServer(port: 6390)
        try await server.start()
        let options = RedisClientOptions(
            connectTimeout: .milliseconds(500), commandTimeout: .seconds(1), reconnectDelay: .milliseconds(100),
            connections: 1)
        let client = RedisTestSupport.client(server.endpoint, options: options)
        let subscriber = RedisSubscriber(
            endpoint: server.endpoint, channels: ["restart-test"], options: options, logger: RedisTestSupport.logger)
        var events = subscriber.events.makeAsyncIterator()

        #expect(await RedisTestSupport.next(&events) { $0 == .subscribed } != nil)
        try await client.send(["SET", "before", "1"])
        let script = "return 1"
        let sha = try #require(try await client.send(["SCRIPT", "LOAD", .string(script)]).string)
        #expect(try await client.send(["EVALSHA", .string(sha), "0"]) == .integer(1))

        try await server.stop()
        await #expect {
            try await client.ping()
        } throws: { ($0 as? RedisError)?.kind == .connection }
        #expect(await RedisTestSupport.next(&events) { if case .disconnected = $0 { true } else { false } } != nil)

        try await server.start()
        try await RedisTestSupport.eventually { try await client.ping() }
        #expect(try await client.send(["GET", "before"]) == .null, "a restart without persistence forgets data")
        // The restarted server lost the script cache too; the error's code says so (callers send the script again).
        await #expect {
            try await client.send(["EVALSHA", .string(sha), "0"])
        } throws: { ($0 as? RedisError)?.code == "NOSCRIPT" }

        #expect(await RedisTestSupport.next(&events) { $0 == .subscribed } != nil, "the subscriber subscribes again")
        #expect(try await client.publish(Array("after".utf8), to: "restart-test") == 1)
        let message = await RedisTestSupport.next(&events) { if case .message = $0 { true } else { false } }
        #expect(message == .message(channel: "restart-test", payload: Array("after".utf8)))

        await subscriber.stop()
        await client.close()
        try await server.stop()
    }
}
