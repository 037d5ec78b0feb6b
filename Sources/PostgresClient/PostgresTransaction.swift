import Synchronization

/// Statements inside one `PostgresPool.withTransaction` call, all on the same connection.
/// Valid only while the transaction's body runs.
public final class PostgresTransaction: Sendable {
    private let worker: ConnectionWorker
    /// The connection generation BEGIN ran on; statements refuse to run on any other.
    private let generation: Int
    private let finished = Mutex(false)

    init(worker: ConnectionWorker, generation: Int) {
        self.worker = worker
        self.generation = generation
    }

    @discardableResult
    public func query(_ sql: String, _ params: [PostgresBind] = []) async throws -> [PostgresRow] {
        try checkUsable()
        let generation = generation
        return try await worker.perform { connection in
            try connection.execute(sql, params, pinnedTo: generation).rows
        }
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresBind] = []) async throws -> Int {
        try checkUsable()
        let generation = generation
        return try await worker.perform { connection in
            try connection.execute(sql, params, pinnedTo: generation).affectedRows
        }
    }

    /// A fixed multi-statement script (simple protocol, no parameters); for migration files only.
    public func executeScript(_ sql: String) async throws {
        try checkUsable()
        let generation = generation
        try await worker.perform { connection in try connection.executeScript(sql, pinnedTo: generation) }
    }

    /// Runs the rest of this transaction without statement and lock timeouts (see
    /// `PostgresConnection.liftTimeouts`); for migrations only.
    public func liftTimeouts() async throws {
        try checkUsable()
        let generation = generation
        try await worker.perform { connection in try connection.liftTimeouts(pinnedTo: generation) }
    }

    func commit() async throws {
        finish()
        let generation = generation
        try await worker.perform { connection in
            defer { connection.transactionEnded() }
            _ = try connection.execute("COMMIT", [], pinnedTo: generation)
        }
    }

    /// Rolls back if the transaction's connection is still there; a connection that cannot roll
    /// back is in an unknown state and is dropped.
    func rollback() async throws {
        finish()
        let generation = generation
        try await worker.perform { connection in
            defer { connection.transactionEnded() }
            guard connection.isOpen, connection.generation == generation else { return }
            do {
                _ = try connection.execute("ROLLBACK", [], pinnedTo: generation)
            } catch {
                connection.drop(reason: "ROLLBACK failed: \(error)")
            }
        }
    }

    private func finish() {
        finished.withLock { $0 = true }
    }

    /// Cancellation of the calling task stops the transaction at the next statement (it is
    /// then rolled back); a transaction object that escaped its body is refused.
    private func checkUsable() throws {
        if finished.withLock({ $0 }) {
            throw PostgresError(kind: .query, message: "transaction already finished")
        }
        try Task.checkCancellation()
    }
}
