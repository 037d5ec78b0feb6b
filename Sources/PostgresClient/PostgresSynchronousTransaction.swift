/// The statements of one `PostgresPool.withSynchronousTransaction` call. They run straight on the
/// connection's own thread (the body is that thread's job), so a whole transaction costs its
/// caller one hand-over to that thread and back instead of one per statement. Valid only while the
/// body runs.
public struct PostgresSynchronousTransaction {
    let connection: PostgresConnection
    /// The connection generation BEGIN ran on; statements refuse to run on any other.
    let generation: Int

    @discardableResult
    public func query(_ sql: String, _ params: [PostgresBind] = []) throws -> [PostgresRow] {
        try connection.execute(sql, params, pinnedTo: generation).rows
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresBind] = []) throws -> Int {
        try connection.execute(sql, params, pinnedTo: generation).affectedRows
    }
}

extension PostgresConnection {
    /// BEGIN, `body`, COMMIT on this connection, all on the calling (connection) thread. Any error
    /// rolls back and is rethrown. A BEGIN that fails on a dead connection has run nothing, so it
    /// is tried once more on a fresh one.
    func runTransaction<T>(_ body: (PostgresSynchronousTransaction) throws -> T) throws -> T {
        try begin()
        let transaction = PostgresSynchronousTransaction(connection: self, generation: generation)
        do {
            let result = try body(transaction)
            _ = try execute("COMMIT", [], pinnedTo: transaction.generation)
            return result
        } catch {
            if isOpen, generation == transaction.generation {
                do {
                    _ = try execute("ROLLBACK", [], pinnedTo: transaction.generation)
                } catch let rollbackError {
                    drop(reason: "ROLLBACK failed: \(rollbackError)")
                }
            }
            throw error
        }
    }

    private func begin() throws(PostgresError) {
        do {
            _ = try execute("BEGIN", [])
        } catch {
            guard error.breaksConnection else { throw error }
            _ = try execute("BEGIN", [])
        }
    }
}
