import Foundation
import Logging

/// A dedicated OS thread that owns one `PostgresConnection` and runs jobs against it one at a
/// time, in order. Callers suspend on a `CheckedContinuation` while libpq blocks on this thread,
/// so Swift's cooperative pool is never blocked by database I/O.
final class ConnectionWorker: @unchecked Sendable {
    typealias Job = (PostgresConnection) -> Void

    let index: Int
    // `condition` guards `jobs`, `stopping` and `stopped`.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    init(index: Int, settings: PostgresSettings, logger: Logger) {
        self.index = index
        let thread = Thread { [self] in
            let connection = PostgresConnection(settings: settings, label: "pool-\(index)", logger: logger)
            self.serve(connection)
        }
        thread.name = "postgres-\(index)"
        thread.start()
    }

    /// Runs `work` on this worker's thread and returns its result.
    func perform<T: Sendable>(_ work: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = enqueue { connection in
                continuation.resume(with: Result { try work(connection) })
            }
            if !accepted {
                continuation.resume(
                    throwing: PostgresError(kind: .poolClosed, message: "the connection pool is closed"))
            }
        }
    }

    /// Finishes the queued jobs, closes the connection and ends the thread; returns when done.
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

    /// Asks the thread to end without waiting (used from `deinit` of an unclosed pool).
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

    private func serve(_ connection: PostgresConnection) {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                // stopping and drained
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
