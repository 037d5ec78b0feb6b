import Logging
import ThreadConfinement

/// One pooled PostgreSQL connection on its own thread (`ConnectionThread`): libpq blocks there,
/// never on Swift's cooperative pool.
final class ConnectionWorker: Sendable {
    let index: Int
    private let thread: ConnectionThread<PostgresConnection>

    init(index: Int, configuration: PostgresConfiguration, logger: Logger) {
        self.index = index
        thread = ConnectionThread(name: "postgres-\(index)") {
            PostgresConnection(configuration: configuration, label: "pool-\(index)", logger: logger)
        }
    }

    /// Runs `work` on this worker's thread and returns its result.
    func perform<T: Sendable>(_ work: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = thread.enqueue { connection in
                continuation.resume(with: Result { try work(connection) })
            }
            if !accepted {
                continuation.resume(
                    throwing: PostgresError(kind: .poolClosed, message: "the connection pool is closed"))
            }
        }
    }

    /// Finishes the queued jobs, closes the connection and ends the thread; returns when done.
    func stop() async { await thread.stop() }

    /// Asks the thread to end without waiting (used from `deinit` of an unclosed pool).
    func requestStop() { thread.requestStop() }
}
