/// Bounds on every PostgreSQL connection, so a stuck server, lock or network costs a bounded time instead of
/// pinning a connection (and the activity or request on it) for minutes.
public struct PostgresConnectionLimits: Sendable, Equatable {
    /// `statement_timeout`: the server cancels a statement running longer. The client also gives up on a
    /// statement this long plus `PostgresConnectionLimits.answerGrace` after sending it, dropping the
    /// connection: a frozen or unreachable server cannot enforce its own timeout. Zero turns both off.
    public var statementTimeout: Duration
    /// `lock_timeout`: a statement waiting this long for a row or table lock fails (55P03). Zero = off.
    public var lockTimeout: Duration
    /// How long a caller waits for a free pooled connection. Kept well below the activity start-to-close
    /// (10 s), so waiting for a connection fails an attempt cleanly instead of timing it out.
    public var acquireTimeout: Duration
    /// `connect_timeout`, in whole seconds as libpq takes it.
    public var connectTimeoutSeconds: Int
    /// TCP keepalives on an idle connection: the first probe after `keepalivesIdleSeconds`, then one every
    /// `keepalivesIntervalSeconds`; after `keepalivesCount` unanswered probes the peer is declared dead.
    public var keepalivesIdleSeconds: Int
    public var keepalivesIntervalSeconds: Int
    public var keepalivesCount: Int
    /// `tcp_user_timeout`: data sent but unacknowledged this long breaks the connection (Linux).
    public var tcpUserTimeout: Duration

    /// Time the client allows, beyond `statementTimeout`, for the server's answer (or its timeout error) to arrive.
    public static let answerGrace: Duration = .seconds(2)

    public init(
        statementTimeout: Duration = .seconds(5), lockTimeout: Duration = .seconds(2),
        acquireTimeout: Duration = .seconds(2), connectTimeoutSeconds: Int = 5, keepalivesIdleSeconds: Int = 10,
        keepalivesIntervalSeconds: Int = 5, keepalivesCount: Int = 3, tcpUserTimeout: Duration = .seconds(10)
    ) {
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.acquireTimeout = acquireTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.keepalivesIdleSeconds = keepalivesIdleSeconds
        self.keepalivesIntervalSeconds = keepalivesIntervalSeconds
        self.keepalivesCount = keepalivesCount
        self.tcpUserTimeout = tcpUserTimeout
    }

    /// How long the client waits for a statement's answer before dropping the connection; nil = unbounded.
    public var answerTimeout: Duration? {
        statementTimeout > .zero ? statementTimeout + Self.answerGrace : nil
    }
}

extension Duration {
    /// Whole milliseconds (rounded down).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
