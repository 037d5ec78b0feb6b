import Foundation
import Logging

/// A `SUBSCRIBE` connection on its own thread, delivering what arrives as an `AsyncStream`.
/// After the connection breaks (Redis restart, network) it reconnects and subscribes again;
/// messages published while it was away are lost, as pub/sub always does.
public final class RedisSubscriber: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// The subscription is in place (first time and after every reconnect).
        case subscribed
        case message(channel: String, payload: [UInt8])
        /// The connection broke or could not be opened; reconnecting.
        case disconnected(reason: String)
    }

    /// Everything the subscription sees, in order. A consumer that falls far behind loses the
    /// oldest events rather than growing memory without bound.
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let channels: [String]
    private let options: RedisClientOptions
    private let logger: Logger

    // `condition` guards `stopping`, `stopped` and `stopWaiters`.
    private let condition = NSCondition()
    private var stopping = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        endpoint: RedisEndpoint, channels: [String], options: RedisClientOptions = RedisClientOptions(),
        bufferSize: Int = 4096, logger: Logger
    ) {
        precondition(!channels.isEmpty, "subscribe to at least one channel")
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(bufferSize))
        self.channels = channels
        self.options = options
        self.logger = logger
        let thread = Thread { [self] in
            self.serve(RedisConnection(endpoint: endpoint, options: options, label: "subscriber", logger: logger))
        }
        thread.name = "redis-subscriber"
        thread.start()
    }

    deinit {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Unsubscribes, closes the connection and finishes `events`; returns when the thread ended.
    public func stop() async {
        await withCheckedContinuation { waiter in
            condition.lock()
            if stopped {
                condition.unlock()
                waiter.resume()
                return
            }
            stopping = true
            stopWaiters.append(waiter)
            condition.broadcast()
            condition.unlock()
        }
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func serve(_ connection: RedisConnection) {
        var subscribed = false
        var reportedOutage = false
        while !isStopping {
            if !subscribed {
                do {
                    _ = try connection.command([Array("SUBSCRIBE".utf8)] + channels.map { Array($0.utf8) })
                    subscribed = true
                    reportedOutage = false
                    logger.info("subscribed to Redis channels", metadata: ["channels": "\(channels)"])
                    continuation.yield(.subscribed)
                } catch {
                    if !reportedOutage {
                        reportedOutage = true
                        logger.warning("Redis subscription unavailable; retrying", metadata: ["error": "\(error)"])
                        continuation.yield(.disconnected(reason: error.message))
                    }
                    connection.drop(reason: nil)
                    pause(options.reconnectDelay)
                    continue
                }
            }
            do {
                if let reply = try connection.nextPush(within: .milliseconds(250)) { deliver(reply) }
            } catch {
                subscribed = false
                reportedOutage = true
                logger.warning("Redis subscription lost; reconnecting", metadata: ["error": "\(error)"])
                continuation.yield(.disconnected(reason: error.message))
            }
        }
        connection.drop(reason: nil)
        continuation.finish()
        condition.lock()
        stopped = true
        let waiters = stopWaiters
        stopWaiters = []
        condition.unlock()
        waiters.forEach { $0.resume() }
    }

    /// `["message", channel, payload]`; subscribe confirmations and pongs are not messages.
    private func deliver(_ reply: RedisReply) {
        guard let parts = reply.array, parts.count == 3, parts[0].string == "message",
            let channel = parts[1].string, let payload = parts[2].bytes
        else { return }
        continuation.yield(.message(channel: channel, payload: payload))
    }

    /// Sleeps up to `duration`, waking early when asked to stop.
    private func pause(_ duration: Duration) {
        let deadline = Date(timeIntervalSinceNow: Double(RedisConnection.milliseconds(duration)) / 1000)
        condition.lock()
        while !stopping && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
