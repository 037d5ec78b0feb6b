import Logging
import Synchronization

/// A small RESP client over hiredis: a few connections, each on its own thread, reconnecting
/// after Redis restarts. Arguments and bulk replies are bytes, so values are binary-safe.
public final class RedisClient: Sendable {
    public let endpoint: RedisEndpoint
    private let threads: [RedisConnectionThread]
    private let next = Atomic<Int>(0)

    public init(endpoint: RedisEndpoint, options: RedisClientOptions = RedisClientOptions(), logger: Logger) {
        self.endpoint = endpoint
        threads = (0..<options.connections).map {
            RedisConnectionThread(index: $0, endpoint: endpoint, options: options, logger: logger)
        }
    }

    deinit {
        threads.forEach { $0.requestStop() }
    }

    /// Sends one command, e.g. `send(["SET", key, value])`, and returns the reply.
    @discardableResult
    public func send(_ arguments: [RedisArgument]) async throws(RedisError) -> RedisReply {
        let bytes = arguments.map(\.bytes)
        return try await pickThread().perform { connection throws(RedisError) in try connection.command(bytes) }
    }

    /// `PING`: proves the server answers.
    public func ping() async throws(RedisError) {
        let reply = try await send(["PING"])
        guard reply.string == "PONG" else {
            throw RedisError(kind: .unexpectedReply, message: "PING answered \(reply)")
        }
    }

    /// `PUBLISH channel message`; returns how many subscribers received it.
    @discardableResult
    public func publish(_ message: [UInt8], to channel: String) async throws(RedisError) -> Int {
        try Self.receivers(try await send(["PUBLISH", .string(channel), .bytes(message)]))
    }

    /// PUBLISH's answer: how many subscribers the message reached.
    private static func receivers(_ reply: RedisReply) throws(RedisError) -> Int {
        guard let receivers = reply.integer else {
            throw RedisError(kind: .unexpectedReply, message: "PUBLISH answered \(reply)")
        }
        return Int(receivers)
    }

    /// `PUBLISH channel message` without waiting for the answer (for a caller that would ignore it anyway): the
    /// command is queued on the connection `orderKey` maps to, so messages queued with one key go out in the order
    /// they were queued. A failure is handed to `onFailure`, on the connection's thread.
    public func publishQueued(
        _ message: [UInt8], to channel: String, orderKey: String,
        onFailure: @escaping @Sendable (RedisError) -> Void
    ) {
        let command = [Array("PUBLISH".utf8), Array(channel.utf8), message]
        let thread = threads[Int(UInt(bitPattern: orderKey.hashValue) % UInt(threads.count))]
        let queued = thread.submit { connection in
            do throws(RedisError) {
                _ = try Self.receivers(try connection.command(command))
            } catch {
                onFailure(error)
            }
        }
        if !queued { onFailure(RedisError(kind: .closed, message: "the Redis client is closed")) }
    }

    /// Finishes queued commands, closes every connection and ends the threads.
    public func close() async {
        for thread in threads { await thread.stop() }
    }

    private func pickThread() -> RedisConnectionThread {
        let index = next.add(1, ordering: .relaxed).oldValue
        return threads[index % threads.count]
    }
}

/// One argument of a command: text or raw bytes.
public enum RedisArgument: Sendable, ExpressibleByStringLiteral {
    case string(String)
    case bytes([UInt8])
    case integer(Int)

    public init(stringLiteral value: String) { self = .string(value) }

    var bytes: [UInt8] {
        switch self {
        case .string(let text): Array(text.utf8)
        case .bytes(let bytes): bytes
        case .integer(let value): Array(String(value).utf8)
        }
    }
}
