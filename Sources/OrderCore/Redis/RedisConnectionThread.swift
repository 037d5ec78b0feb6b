import Foundation
import Logging

/// A dedicated OS thread that owns one `RedisConnection` and runs commands on it one at a time,
/// in order. Callers suspend on a continuation while hiredis blocks on this thread, so Swift's
/// cooperative pool is never blocked by Redis I/O.
final class RedisConnectionThread: @unchecked Sendable {
    typealias Job = (RedisConnection) -> Void

    // `condition` guards `jobs`, `stopping` and `stopped`.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    init(index: Int, endpoint: RedisEndpoint, options: RedisClientOptions, logger: Logger) {
        let thread = Thread { [self] in
            let connection = RedisConnection(
                endpoint: endpoint, options: options, label: "redis-\(index)", logger: logger)
            self.serve(connection)
        }
        thread.name = "redis-\(index)"
        thread.start()
    }

    /// Runs `work` on this thread and returns its result.
    func perform<T: Sendable>(_ work: @escaping @Sendable (RedisConnection) throws(RedisError) -> T)
        async throws(RedisError)
        -> T
    {
        let result: Result<T, RedisError> = await withCheckedContinuation { continuation in
            let accepted = enqueue { connection in
                continuation.resume(returning: Result { () throws(RedisError) -> T in try work(connection) })
            }
            if !accepted {
                continuation.resume(
                    returning: .failure(RedisError(kind: .closed, message: "the Redis client is closed")))
            }
        }
        return try result.get()
    }

    /// Finishes the queued commands, closes the connection and ends the thread; returns when done.
    func stop() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            if stopped {
                condition.unlock()
                continuation.resume()
                return
            }
            stopping = true
            stopWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    /// Asks the thread to end without waiting (from `deinit` of an unclosed client).
    func requestStop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func serve(_ connection: RedisConnection) {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(connection)
        }
        connection.drop(reason: nil)
        condition.lock()
        stopped = true
        let waiters = stopWaiters
        stopWaiters = []
        condition.unlock()
        waiters.forEach { $0.resume() }
    }
}
