/// A failure talking to PostgreSQL, carrying the server's SQLSTATE when there is one.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Could not connect, or the connection broke (the pool drops it and opens a fresh one next time).
        case connection
        /// The server rejected a statement (constraint violation, syntax, serialization failure, ...).
        case query
        /// No pooled connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
        /// A column was missing, NULL where a value was required, or not in the expected format.
        case decoding
    }

    public let kind: Kind
    /// Five-character SQLSTATE code from the server (`PG_DIAG_SQLSTATE`), nil for client-side errors.
    public let sqlState: String?
    public let message: String

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    /// True when retrying the same operation later may succeed: broken connections, a server
    /// shutting down or starting up (57P0x), connection exceptions (08xxx), serialization failures
    /// and deadlocks (40001, 40P01), a statement or lock wait that hit its timeout (57014, 55P03),
    /// and a pool that was merely busy.
    public var isTransient: Bool {
        switch kind {
        case .connection, .poolTimeout: return true
        case .poolClosed, .decoding: return false
        case .query:
            guard let sqlState else { return false }
            return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P")
                || ["40001", "40P01", "57014", "55P03"].contains(sqlState)
        }
    }

    /// True when the connection that produced this error must not be used again.
    var breaksConnection: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P")
    }

    /// SQLSTATE 23505: a UNIQUE or PRIMARY KEY constraint rejected the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        if let sqlState { return "PostgreSQL \(kind.rawValue) error [\(sqlState)]: \(message)" }
        return "PostgreSQL \(kind.rawValue) error: \(message)"
    }
}
