import Logging
import OrderCore
import PostgresClient

extension PostgresConfiguration {
    /// The driver's configuration from OrderFlow's settings (`POSTGRES_*`), every limit passed on.
    public init(_ settings: PostgresSettings) {
        let limits = settings.limits
        self.init(
            host: settings.host, port: settings.port, user: settings.user, password: settings.password,
            database: settings.database, applicationName: "orderflow",
            limits: Limits(
                statementTimeout: limits.statementTimeout, lockTimeout: limits.lockTimeout,
                acquireTimeout: limits.acquireTimeout, connectTimeoutSeconds: limits.connectTimeoutSeconds,
                keepalivesIdleSeconds: limits.keepalivesIdleSeconds,
                keepalivesIntervalSeconds: limits.keepalivesIntervalSeconds, keepalivesCount: limits.keepalivesCount,
                tcpUserTimeout: limits.tcpUserTimeout))
    }
}

extension PostgresPool {
    /// A pool on the database of OrderFlow's settings; `maxConnections` is usually
    /// `settings.poolSize(default:)`.
    public convenience init(
        settings: PostgresSettings, maxConnections: Int = 8, acquireTimeout: Duration? = nil, logger: Logger
    ) {
        self.init(
            configuration: PostgresConfiguration(settings), maxConnections: maxConnections,
            acquireTimeout: acquireTimeout, logger: logger)
    }
}
