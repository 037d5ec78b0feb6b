/// The statements of one `PostgresPool.withSynchronousTransaction` call. They run straight on the
/// connection's own thread (the body is that thread's job), so a whole transaction costs its
/// caller one hand-over to that thread and back instead of one per statement. BEGIN goes with the
/// first statement, and COMMIT with the last one when the body says which (`executeAndCommit`), in
/// the same round trip. Valid only while the body runs.
public final class PostgresSynchronousTransaction {
    let connection: PostgresConnection
    /// The connection generation the transaction runs on; statements refuse to run on any other.
    private var generation: Int
    /// BEGIN has been sent (with the first statement), so the transaction must end with COMMIT or ROLLBACK.
    private var begun = false
    /// COMMIT has been sent (with `executeAndCommit`'s statement): the transaction is over.
    private var ended = false

    init(connection: PostgresConnection) {
        self.connection = connection
        self.generation = connection.generation
    }

    @discardableResult
    public func query(_ sql: String, _ params: [PostgresBind] = []) throws -> [PostgresRow] {
        try run(sql, params).rows
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresBind] = []) throws -> Int {
        try run(sql, params).affectedRows
    }

    /// The transaction's last statement, sent with COMMIT: the transaction is committed when this returns, and
    /// the body runs no statement after it.
    @discardableResult
    public func executeAndCommit(_ sql: String, _ params: [PostgresBind] = []) throws -> Int {
        try run(sql, params, framing: .commit).affectedRows
    }

    private func run(_ sql: String, _ params: [PostgresBind], framing: StatementFraming = [])
        throws(PostgresError) -> PostgresQueryResult
    {
        guard !ended else { throw PostgresError(kind: .query, message: "the transaction was already committed") }
        if framing.contains(.commit) { ended = true }
        if begun { return try connection.execute(sql, params, pinnedTo: generation, framing: framing) }
        begun = true
        do {
            return try connection.execute(sql, params, pinnedTo: generation, framing: framing.union(.begin))
        } catch let error where error.breaksConnection && !framing.contains(.commit) {
            // Nothing was committed on the dead connection: BEGIN and the statement go once more, on a fresh one.
            // (Had COMMIT gone with them, the transaction might have been committed: that error goes to the caller.)
            try connection.ensureOpen()
            generation = connection.generation
            return try connection.execute(sql, params, pinnedTo: generation, framing: framing.union(.begin))
        }
    }

    func commit() throws(PostgresError) {
        guard begun, !ended else { return }
        ended = true
        _ = try connection.execute("COMMIT", [], pinnedTo: generation)
    }

    /// Rolls back what BEGIN opened, if its connection is still there; one that cannot roll back is dropped. After
    /// a failed COMMIT there is nothing to roll back, and the ROLLBACK only draws a warning from the server.
    func rollBack() {
        guard begun, connection.isOpen, connection.generation == generation else { return }
        do {
            _ = try connection.execute("ROLLBACK", [], pinnedTo: generation)
        } catch {
            connection.drop(reason: "ROLLBACK failed: \(error)")
        }
    }
}

extension PostgresConnection {
    /// `body` between BEGIN (sent with its first statement) and COMMIT (with `executeAndCommit`'s statement, or
    /// after the body) on this connection, all on the calling (connection) thread. Any error rolls back and is
    /// rethrown.
    func runTransaction<T>(_ body: (PostgresSynchronousTransaction) throws -> T) throws -> T {
        try ensureOpen()
        let transaction = PostgresSynchronousTransaction(connection: self)
        do {
            let result = try body(transaction)
            try transaction.commit()
            return result
        } catch {
            transaction.rollBack()
            throw error
        }
    }
}
