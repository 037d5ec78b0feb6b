import Logging

/// Every setting of `order-worker` and `order-api`: key, default and doc line, in the order `--help` lists them.
/// The defaults are those of the settings structs (`PostgresSettings()` and so on), so each is written once.
public enum OrderFlowSettings {
    private static let postgres = PostgresSettings()
    private static let limits = PostgresConnectionLimits()
    private static let temporal = TemporalSettings()
    private static let api = APISettings()
    private static let workerMetrics = WorkerMetricsSettings()
    private static let rateLimit = RateLimitSettings()
    private static let payment = PaymentSettings()
    private static let activity = ActivitySettings()
    private static let fraud = FraudSettings()

    // MARK: PostgreSQL

    public static let postgresHost = Setting("postgres.host", .text, default: postgres.host, "PostgreSQL host")
    public static let postgresPort = Setting("postgres.port", .port, default: postgres.port, "PostgreSQL port")
    public static let postgresUser = Setting("postgres.user", .text, default: postgres.user, "PostgreSQL user")
    public static let postgresPassword = Setting(
        "postgres.password", .text, default: postgres.password, secret: true, "PostgreSQL password")
    public static let postgresDatabase = Setting(
        "postgres.db", .text, default: postgres.database, "PostgreSQL database")
    public static let postgresPoolSize = Setting(
        "postgres.poolSize", .optional(.integer(in: 1...1000), unset: "(sized to the work)"),
        default: postgres.poolSize,
        "connections per process; worker: its activity slots (100), API: 4 per CPU core, at least 8")
    public static let postgresAcquireTimeout = Setting(
        "postgres.acquireTimeoutMs", .milliseconds(minimum: 1), default: limits.acquireTimeout,
        "longest wait for a free pooled connection (kept below start-to-close)")
    public static let postgresStatementTimeout = Setting(
        "postgres.statementTimeoutMs", .milliseconds(minimum: 0), default: limits.statementTimeout,
        "statement_timeout; the client also drops a connection that has not answered 2 s after it (0 = off)")
    public static let postgresLockTimeout = Setting(
        "postgres.lockTimeoutMs", .milliseconds(minimum: 0), default: limits.lockTimeout,
        "lock_timeout: longest wait for a row or table lock (0 = off)")
    public static let postgresConnectTimeout = Setting(
        "postgres.connectTimeoutS", .integer(in: 2...3600), default: limits.connectTimeoutSeconds,
        "connect_timeout in seconds")
    public static let postgresKeepalivesIdle = Setting(
        "postgres.keepalivesIdleS", .integer(in: 1...86_400), default: limits.keepalivesIdleSeconds,
        "seconds idle before the first TCP keepalive probe")
    public static let postgresKeepalivesInterval = Setting(
        "postgres.keepalivesIntervalS", .integer(in: 1...86_400), default: limits.keepalivesIntervalSeconds,
        "seconds between TCP keepalive probes")
    public static let postgresKeepalivesCount = Setting(
        "postgres.keepalivesCount", .integer(in: 1...100), default: limits.keepalivesCount,
        "unanswered keepalive probes before the connection counts as dead")
    public static let postgresTCPUserTimeout = Setting(
        "postgres.tcpUserTimeoutMs", .milliseconds(minimum: 0), default: limits.tcpUserTimeout,
        "tcp_user_timeout: sent data unacknowledged this long breaks the connection (0 = system default)")

    // MARK: Temporal

    public static let temporalHostPort = Setting(
        "temporal.hostPort", .hostPort, default: temporal.hostPort, "Temporal frontend gRPC address (host:port)")
    public static let temporalNamespace = Setting(
        "temporal.namespace", .text, default: temporal.namespace, "Temporal namespace")
    public static let temporalTaskQueue = Setting(
        "temporal.taskQueue", .text, default: temporal.taskQueue, "task queue of OrderWorkflow and its activities")
    public static let temporalTLSCA = Setting(
        "temporal.tls.ca", .optional(.text), default: temporal.tlsCA,
        "PEM file of the CA that signed the Temporal server certificate; set = TLS")
    public static let temporalTLSCert = Setting(
        "temporal.tls.cert", .optional(.text), default: temporal.tlsCert,
        "PEM client certificate for mTLS (together with TEMPORAL_TLS_KEY)")
    public static let temporalTLSKey = Setting(
        "temporal.tls.key", .optional(.text), default: temporal.tlsKey,
        "PEM client private key for mTLS (together with TEMPORAL_TLS_CERT)")
    public static let temporalAPIKey = Setting(
        "temporal.apiKey", .optional(.text), default: temporal.apiKey, secret: true,
        "API key sent as bearer token (e.g. Temporal Cloud); implies TLS")
    public static let temporalUIURL = Setting(
        "temporal.uiUrl", .webURL, default: temporal.uiURL, "Temporal Web UI base URL, for links to workflows")

    // MARK: HTTP, operations port, logging

    public static let apiHost = Setting("api.host", .text, default: api.host, "address the HTTP API listens on")
    public static let apiPort = Setting("api.port", .port, default: api.port, "port the HTTP API listens on")
    public static let workerMetricsHost = Setting(
        "worker.metrics.host", .text, default: workerMetrics.host,
        "address of the worker's /metrics, /healthz and /readyz")
    public static let workerMetricsPort = Setting(
        "worker.metrics.port", .integer(in: 0...65535), default: workerMetrics.port,
        "port of the worker's /metrics, /healthz and /readyz; 0 turns them off")
    public static let workerCPUs = Setting(
        "worker.cpus", .optional(.cpuList, unset: "(all)"), default: CPUList?.none,
        "CPUs the worker's threads run on, as taskset -c lists them (e.g. 1 or 0-3); one keeps its hand-offs local")
    public static let logLevel = Setting(
        "log.level", .logLevel, default: Logger.Level.info, "trace, debug, info, notice, warning, error or critical")

    // MARK: Redis and rate limiting

    public static let redisURL = Setting(
        "redis.url", .optional(.redisURL), default: String?.none, secret: true,
        "redis://[[user]:password@]host[:port][/db]; shared rate limiting and the live status feed")
    public static let rateLimitPerMinute = Setting(
        "rate.limit.perMinute", .integer(in: 0...10_000_000), default: rateLimit.perMinute,
        "order creations per minute per client (remote IP); 0 turns limiting off")
    public static let rateLimitBurst = Setting(
        "rate.limit.burst", .integer(in: 1...10_000_000), default: rateLimit.burst,
        "order creations a client may make at once before the per-minute rate applies")

    // MARK: Payment simulator, activity retries, fraud screen

    public static let paymentMaxAmount = Setting(
        "payment.maxAmount", .amount, default: payment.maxAmount,
        "payments above this amount are declined (PaymentDeclined)")
    public static let paymentFailureRate = Setting(
        "payment.failureRate", .fraction, default: payment.failureRate,
        "share of payment attempts that fail transiently (0.0–1.0)")
    public static let paymentDelay = Setting(
        "payment.delayMs", .milliseconds(minimum: 0), default: payment.delay,
        "simulated payment processing time in milliseconds")
    // At least 1: Temporal reads 0 as "retry forever", which no one means by setting it.
    public static let activityMaxAttempts = Setting(
        "activity.maxAttempts", .integer(in: 1...1000), default: activity.maxAttempts,
        "attempts per activity before it fails (backoff 2.0, max interval 30 s, start-to-close 10 s)")
    public static let activityInitialInterval = Setting(
        "activity.initialIntervalMs", .milliseconds(minimum: 1), default: activity.initialInterval,
        "first retry interval of activities in milliseconds")
    public static let localActivities = Setting(
        "local.activities", .onOff, default: activity.localActivities,
        "on runs CreateOrder and CheckInventory of new orders as local activities (markers, not activity tasks)")
    public static let fraudScreen = Setting(
        "fraud.screen", .onOff, default: fraud.screenEnabled,
        "off runs OrderWorkflow as built before the fraud screen (its old code path, for a rolling upgrade)")
    public static let fraudMaxOrders = Setting(
        "fraud.velocity.maxOrders", .integer(in: 1...100_000_000), default: fraud.maxOrders,
        "orders one customer may place within the window; the next fails FraudSuspected")
    public static let fraudMaxAmount = Setting(
        "fraud.velocity.maxAmount", .amount, default: fraud.maxAmount,
        "total one customer may order within the window; an order going over fails FraudSuspected")
    public static let fraudWindowSeconds = Setting(
        "fraud.velocity.windowSeconds", .integer(in: 1...31_536_000), default: fraud.windowSeconds,
        "the fraud screen's look-back window in seconds")

    /// The `--help` table, in this order.
    public static let all: [any SettingDescription] = [
        postgresHost, postgresPort, postgresUser, postgresPassword, postgresDatabase, postgresPoolSize,
        postgresAcquireTimeout, postgresStatementTimeout, postgresLockTimeout, postgresConnectTimeout,
        postgresKeepalivesIdle, postgresKeepalivesInterval, postgresKeepalivesCount, postgresTCPUserTimeout,
        temporalHostPort, temporalNamespace, temporalTaskQueue, temporalTLSCA, temporalTLSCert, temporalTLSKey,
        temporalAPIKey, temporalUIURL, apiHost, apiPort, workerMetricsHost, workerMetricsPort, workerCPUs, logLevel,
        redisURL, rateLimitPerMinute, rateLimitBurst, paymentMaxAmount, paymentFailureRate, paymentDelay,
        activityMaxAttempts, activityInitialInterval, localActivities, fraudScreen, fraudMaxOrders, fraudMaxAmount,
        fraudWindowSeconds,
    ]
}
