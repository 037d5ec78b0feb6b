import Logging
import OrderCore
import OrderStatusFeed
import RedisClient
import ServiceLifecycle
import Synchronization

/// Relays the worker's status changes from one Redis subscription to every open
/// `/api/orders/events` stream of this process, and sends them all a keepalive now and then.
/// Runs as a service: at graceful shutdown it ends every stream (so the HTTP server is not kept
/// waiting by clients that never hang up) and stops the subscription.
public final class StatusFeedHub: Service, Sendable {
    public enum Event: Sendable, Equatable {
        case change(OrderStatusChange)
        case keepalive
    }

    public struct Subscription: Sendable {
        let id: UInt64
        public let events: AsyncStream<Event>
    }

    private struct Listener: Sendable {
        let orderId: String?
        let continuation: AsyncStream<Event>.Continuation
    }

    private struct State: Sendable {
        var listeners: [UInt64: Listener] = [:]
        var nextId: UInt64 = 0
        var finished = false
    }

    private let source: AsyncStream<RedisSubscriber.Event>
    private let stopSource: @Sendable () async -> Void
    private let keepaliveInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    /// `source` delivers what the Redis subscription sees; `stopSource` ends it.
    public init(
        source: AsyncStream<RedisSubscriber.Event>, stopSource: @escaping @Sendable () async -> Void,
        keepaliveInterval: Duration = .seconds(15), logger: Logger
    ) {
        self.source = source
        self.stopSource = stopSource
        self.keepaliveInterval = keepaliveInterval
        self.logger = logger
    }

    /// The live wiring: one subscriber on `OrderStatusChange.channel`.
    public convenience init(subscriber: RedisSubscriber, keepaliveInterval: Duration = .seconds(15), logger: Logger) {
        self.init(
            source: subscriber.events, stopSource: { await subscriber.stop() }, keepaliveInterval: keepaliveInterval,
            logger: logger)
    }

    /// Registers a listener at once, so nothing published after this call is missed. `orderId`
    /// narrows the stream to one order. After shutdown the stream is already finished.
    public func subscribe(orderId: String?) -> Subscription {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
        let id = state.withLock { state -> UInt64? in
            guard !state.finished else { return nil }
            state.nextId += 1
            state.listeners[state.nextId] = Listener(orderId: orderId, continuation: continuation)
            return state.nextId
        }
        guard let id else {
            continuation.finish()
            return Subscription(id: 0, events: events)
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return Subscription(id: id, events: events)
    }

    func unsubscribe(_ id: UInt64) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    /// How many streams are open (for tests and logs).
    public var listenerCount: Int { state.withLock { $0.listeners.count } }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.relay() }
            group.addTask { await self.sendKeepalives() }
            // Returns at graceful shutdown, or throws when cancelled: either way, wind down.
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await stopSource()
        let listeners = state.withLock { state in
            state.finished = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        listeners.forEach { $0.continuation.finish() }
        logger.info("status feed stopped", metadata: ["streams_closed": "\(listeners.count)"])
    }

    private func relay() async {
        for await event in source {
            guard case .message(_, let payload) = event else { continue }
            do {
                broadcast(try OrderStatusChange.decode(payload))
            } catch {
                logger.debug("ignoring a malformed status message", metadata: ["error": "\(error)"])
            }
        }
    }

    private func sendKeepalives() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: keepaliveInterval) } catch { return }
            let listeners = state.withLock { Array($0.listeners.values) }
            listeners.forEach { $0.continuation.yield(.keepalive) }
        }
    }

    func broadcast(_ change: OrderStatusChange) {
        let listeners = state.withLock { Array($0.listeners.values) }
        for listener in listeners where listener.orderId == nil || listener.orderId == change.orderId {
            listener.continuation.yield(.change(change))
        }
    }
}
