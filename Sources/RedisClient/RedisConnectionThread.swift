import Logging
import ThreadConfinement

/// One Redis connection on its own thread (`ConnectionThread`): hiredis blocks there, never on
/// Swift's cooperative pool.
final class RedisConnectionThread: Sendable {
    private let thread: ConnectionThread<RedisConnection>

    init(index: Int, endpoint: RedisEndpoint, options: RedisClientOptions, logger: Logger) {
        thread = ConnectionThread(name: "redis-\(index)") {
            RedisConnection(endpoint: endpoint, options: options, label: "redis-\(index)", logger: logger)
        }
    }

    /// Runs `work` on this thread and returns its result.
    func perform<T: Sendable>(_ work: @escaping @Sendable (RedisConnection) throws(RedisError) -> T)
        async throws(RedisError)
        -> T
    {
        let result: Result<T, RedisError> = await withCheckedContinuation { continuation in
            let accepted = thread.enqueue { connection in
                continuation.resume(returning: Result { () throws(RedisError) -> T in try work(connection) })
            }
            if !accepted {
                continuation.resume(
                    returning: .failure(RedisError(kind: .closed, message: "the Redis client is closed")))
            }
        }
        return try result.get()
    }

    /// Queues `work` on this thread without waiting for it; false when the thread is stopping (it will never run).
    func submit(_ work: @escaping @Sendable (RedisConnection) -> Void) -> Bool {
        thread.enqueue(work)
    }

    /// Finishes the queued commands, closes the connection and ends the thread; returns when done.
    func stop() async { await thread.stop() }

    /// Asks the thread to end without waiting (from `deinit` of an unclosed client).
    func requestStop() { thread.requestStop() }
}
