/// Where a PostgreSQL server is, how to log in, and the bounds every connection of a `PostgresPool` carries, so a
/// stuck server, lock or network costs a bounded time instead of pinning a connection for minutes.
public struct PostgresConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    /// `application_name`, shown in `pg_stat_activity`.
    public var applicationName: String
    public var limits: Limits

    public init(
        host: String = "localhost", port: Int = 5432, user: String, password: String, database: String,
        applicationName: String = "swift-postgres-client", limits: Limits = Limits()
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
        self.limits = limits
    }

    /// Timeouts and TCP keepalives of each connection.
    public struct Limits: Sendable, Equatable {
        /// `statement_timeout`: the server cancels a statement running longer. The client also gives up on a
        /// statement this long plus `answerGrace` after sending it, dropping the connection: a frozen or
        /// unreachable server cannot enforce its own timeout. Zero turns both off.
        public var statementTimeout: Duration
        /// `lock_timeout`: a statement waiting this long for a row or table lock fails (55P03). Zero = off.
        public var lockTimeout: Duration
        /// How long a caller waits for a free pooled connection.
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

        /// Time the client allows, beyond `statementTimeout`, for the server's answer (or its timeout error).
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
}
