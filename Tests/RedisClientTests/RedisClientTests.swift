import Foundation
import RedisClient
import Synchronization
import Testing

/// The RESP client against the real redis-server of `services.sh up`.
@Suite("Redis client")
struct RedisClientTests {
    @Test func valuesAreBinarySafe() async throws {
        let client = RedisTestSupport.client()
        let key = RedisTestSupport.uniqueKey("binary")
        let value: [UInt8] = [0, 1, 13, 10, 0xFF, 0xFE, 0x80, 0, 36, 42, 0]
        try await client.send(["SET", .string(key), .bytes(value), "EX", "60"])
        #expect(try await client.send(["GET", .string(key)]) == .bulk(value))
        try await client.send(["SET", .string(key), .bytes([])])
        #expect(try await client.send(["GET", .string(key)]) == .bulk([]))
        let keyWithNUL: [UInt8] = Array(key.utf8) + [0, 0x41]
        try await client.send(["SET", .bytes(keyWithNUL), "x", "EX", "60"])
        #expect(try await client.send(["EXISTS", .string(key + "\u{0}B")]) == .integer(0))
        #expect(try await client.send(["GET", .bytes(keyWithNUL)]).string == "x")
        try await client.send(["DEL", .string(key), .bytes(keyWithNUL)])
        await client.close()
    }

    @Test func everyReplyTypeIsDecoded() async throws {
        let client = RedisTestSupport.client()
        let key = RedisTestSupport.uniqueKey("types")
        #expect(try await client.send(["PING"]) == .status("PONG"))
        #expect(try await client.send(["GET", .string(key)]) == .null)
        #expect(try await client.send(["INCRBY", .string(key), .integer(41)]) == .integer(41))
        #expect(try await client.send(["INCR", .string(key)]).integer == 42)
        try await client.send(["DEL", .string(key)])
        try await client.send(["RPUSH", .string(key), "a", "", "c"])
        #expect(
            try await client.send(["LRANGE", .string(key), "0", "-1"]) == .array([.bulk([97]), .bulk([]), .bulk([99])]))
        // Nested arrays and an error inside an array (a script's reply) stay as they are.
        let nested = try await client.send(["EVAL", "return {1, {'x', false}, redis.error_reply('NOPE inner')}", "0"])
        #expect(nested == .array([.integer(1), .array([.bulk(Array("x".utf8)), .null]), .error("NOPE inner")]))
        try await client.send(["DEL", .string(key)])
        await client.close()
    }

    @Test func errorRepliesAreThrownWithTheirCodeAndTheConnectionStaysUsable() async throws {
        let client = RedisTestSupport.client(options: RedisClientOptions(connections: 1))
        let key = RedisTestSupport.uniqueKey("errors")
        try await client.send(["SET", .string(key), "not a number", "EX", "60"])
        await #expect {
            try await client.send(["INCR", .string(key)])
        } throws: { ($0 as? RedisError)?.kind == .server && ($0 as? RedisError)?.code == "ERR" }
        await #expect {
            try await client.send(["LPUSH", .string(key), "x"])
        } throws: { ($0 as? RedisError)?.code == "WRONGTYPE" }
        await #expect {
            try await client.send(["NO-SUCH-COMMAND"])
        } throws: { ($0 as? RedisError)?.kind == .server }
        #expect(try await client.send(["GET", .string(key)]).string == "not a number")
        try await client.send(["DEL", .string(key)])
        await client.close()
    }

    @Test func concurrentCommandsAreSpreadAndAllAnswered() async throws {
        let client = RedisTestSupport.client(options: RedisClientOptions(connections: 3))
        let key = RedisTestSupport.uniqueKey("counter")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<300 { group.addTask { try await client.send(["INCR", .string(key)]) } }
            try await group.waitForAll()
        }
        #expect(try await client.send(["GET", .string(key)]).string == "300")
        try await client.send(["DEL", .string(key)])
        await client.close()
    }

    @Test func theDatabaseOfTheURLIsSelected() async throws {
        var inDatabase3 = RedisTestSupport.endpoint
        inDatabase3.database = 3
        let client3 = RedisTestSupport.client(inDatabase3)
        let client0 = RedisTestSupport.client()
        let key = RedisTestSupport.uniqueKey("db")
        try await client3.send(["SET", .string(key), "three", "EX", "60"])
        #expect(try await client3.send(["GET", .string(key)]).string == "three")
        #expect(try await client0.send(["GET", .string(key)]) == .null)
        try await client3.send(["DEL", .string(key)])
        await client3.close()
        await client0.close()
    }

    @Test func aClosedIdleConnectionIsReopenedTransparently() async throws {
        let client = RedisTestSupport.client(options: RedisClientOptions(connections: 1))
        let admin = RedisTestSupport.client()
        let firstId = try #require(try await client.send(["CLIENT", "ID"]).integer)
        // The server drops this client's connection while it is idle (as a restart would).
        #expect(try await admin.send(["CLIENT", "KILL", "ID", .string(String(firstId))]) == .integer(1))
        try await Task.sleep(for: .milliseconds(50))
        let secondId = try #require(try await client.send(["CLIENT", "ID"]).integer)
        #expect(secondId != firstId)
        await client.close()
        await admin.close()
    }

    @Test func anUnreachableServerFailsFastWithAConnectionError() async throws {
        // Port 6399 is in this suite's private range and nothing listens there.
        let client = RedisTestSupport.client(
            RedisEndpoint(host: "127.0.0.1", port: 6399), options: RedisClientOptions(reconnectDelay: .seconds(30)))
        for _ in 0..<3 {
            await #expect {
                try await client.ping()
            } throws: { ($0 as? RedisError)?.kind == .connection }
        }
        await client.close()
    }

    @Test func aClosedClientRefusesCommands() async throws {
        let client = RedisTestSupport.client()
        try await client.ping()
        await client.close()
        await #expect {
            try await client.ping()
        } throws: { ($0 as? RedisError)?.kind == .closed }
    }

    /// Queued publishes with one order key keep their order, even with several connections and several keys
    /// interleaved; a closed client or an unreachable server reports each failure instead.
    @Test func queuedPublishesKeepTheOrderOfTheirKey() async throws {
        let channel = RedisTestSupport.uniqueKey("queued")
        let subscriber = RedisSubscriber(
            endpoint: RedisTestSupport.endpoint, channels: [channel], logger: RedisTestSupport.logger)
        var events = subscriber.events.makeAsyncIterator()
        #expect(await RedisTestSupport.next(&events) { $0 == .subscribed } != nil)

        let client = RedisTestSupport.client(options: RedisClientOptions(connections: 3))
        let failures = Mutex(0)
        let keys = (0..<8).map { "order-\($0)" }
        for index in 0..<25 {
            for key in keys {
                client.publishQueued(Array("\(key):\(index)".utf8), to: channel, orderKey: key) { _ in
                    failures.withLock { $0 += 1 }
                }
            }
        }
        var received: [String: [Int]] = [:]
        for _ in 0..<(25 * keys.count) {
            guard
                case .message(_, let payload)? = await RedisTestSupport.next(
                    &events, where: { if case .message = $0 { true } else { false } })
            else { break }
            let parts = String(decoding: payload, as: UTF8.self).split(separator: ":")
            received[String(parts[0]), default: []].append(Int(parts[1])!)
        }
        #expect(received.count == keys.count)
        for key in keys { #expect(received[key] == Array(0..<25), "\(key)") }
        #expect(failures.withLock { $0 } == 0)
        await subscriber.stop()
        await client.close()

        let reported = Mutex<[RedisError.Kind]>([])
        client.publishQueued([1], to: channel, orderKey: "x") { error in reported.withLock { $0.append(error.kind) } }
        let unreachable = RedisTestSupport.client(
            RedisEndpoint(host: "127.0.0.1", port: 6399), options: RedisClientOptions(reconnectDelay: .seconds(30)))
        unreachable.publishQueued([1], to: channel, orderKey: "x") { error in
            reported.withLock { $0.append(error.kind) }
        }
        await unreachable.close()  // runs what was queued first
        #expect(reported.withLock { $0 } == [.closed, .connection])
    }

    @Test func publishedMessagesReachTheSubscriberInOrder() async throws {
        let channel = RedisTestSupport.uniqueKey("channel")
        let other = RedisTestSupport.uniqueKey("other")
        let subscriber = RedisSubscriber(
            endpoint: RedisTestSupport.endpoint, channels: [channel, other], logger: RedisTestSupport.logger)
        var events = subscriber.events.makeAsyncIterator()
        #expect(await RedisTestSupport.next(&events) { $0 == .subscribed } != nil)

        let client = RedisTestSupport.client(options: RedisClientOptions(connections: 1))
        let binary: [UInt8] = [0, 10, 13, 0xFF]
        #expect(try await client.publish(Array("one".utf8), to: channel) == 1)
        #expect(try await client.publish(binary, to: channel) == 1)
        #expect(try await client.publish(Array("elsewhere".utf8), to: other) == 1)
        #expect(try await client.publish(Array("nobody".utf8), to: channel + ":unsubscribed") == 0)

        var received: [RedisSubscriber.Event] = []
        for _ in 0..<3 {
            if let event = await RedisTestSupport.next(
                &events, where: { if case .message = $0 { true } else { false } })
            {
                received.append(event)
            }
        }
        #expect(
            received == [
                .message(channel: channel, payload: Array("one".utf8)), .message(channel: channel, payload: binary),
                .message(channel: other, payload: Array("elsewhere".utf8)),
            ])
        await subscriber.stop()
        #expect(await events.next() == nil, "stop finishes the stream")
        await client.close()
    }
}
