import Configuration
import Foundation
import Logging

/// Everything the worker and the API read from the environment through swift-configuration: the settings of
/// `OrderFlowSettings`, with the defaults of docs/configuration.md.
/// Properties are `var` so command-line flags can override what the environment said.
public struct OrderFlowConfig: Sendable {
    public var postgres: PostgresSettings
    public var temporal: TemporalSettings
    public var api: APISettings
    /// The worker's operations port (`/metrics`, `/healthz`, `/readyz`).
    public var workerMetrics: WorkerMetricsSettings
    /// The CPUs the worker's threads may run on; nil leaves them on every CPU the process may use.
    public var workerCPUs: CPUList?
    public var logLevel: Logger.Level
    /// Redis is optional: nil keeps rate limiting in each process and turns off the live status feed.
    public var redisURL: String?
    /// Per-client limit on order creation (in Redis when configured, else in process).
    public var rateLimit: RateLimitSettings
    public var payment: PaymentSettings
    public var activity: ActivitySettings
    public var fraud: FraudSettings

    /// Reads every setting of `OrderFlowSettings` from `config`; the first unusable value stops with its variable.
    public init(reading config: ConfigReader) throws(ConfigError) {
        typealias S = OrderFlowSettings
        postgres = PostgresSettings(
            host: try S.postgresHost.read(from: config), port: try S.postgresPort.read(from: config),
            user: try S.postgresUser.read(from: config), password: try S.postgresPassword.read(from: config),
            database: try S.postgresDatabase.read(from: config), poolSize: try S.postgresPoolSize.read(from: config),
            limits: PostgresConnectionLimits(
                statementTimeout: try S.postgresStatementTimeout.read(from: config),
                lockTimeout: try S.postgresLockTimeout.read(from: config),
                acquireTimeout: try S.postgresAcquireTimeout.read(from: config),
                connectTimeoutSeconds: try S.postgresConnectTimeout.read(from: config),
                keepalivesIdleSeconds: try S.postgresKeepalivesIdle.read(from: config),
                keepalivesIntervalSeconds: try S.postgresKeepalivesInterval.read(from: config),
                keepalivesCount: try S.postgresKeepalivesCount.read(from: config),
                tcpUserTimeout: try S.postgresTCPUserTimeout.read(from: config)))
        temporal = TemporalSettings(
            hostPort: try S.temporalHostPort.read(from: config), namespace: try S.temporalNamespace.read(from: config),
            taskQueue: try S.temporalTaskQueue.read(from: config), tlsCA: try S.temporalTLSCA.read(from: config),
            tlsCert: try S.temporalTLSCert.read(from: config), tlsKey: try S.temporalTLSKey.read(from: config),
            apiKey: try S.temporalAPIKey.read(from: config), uiURL: try S.temporalUIURL.read(from: config))
        if (temporal.tlsCert == nil) != (temporal.tlsKey == nil) {
            let missing = temporal.tlsCert == nil ? S.temporalTLSCert : S.temporalTLSKey
            throw .invalidValue(
                variable: missing.variable, value: "",
                expected: "a PEM file path (TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together)")
        }
        api = APISettings(host: try S.apiHost.read(from: config), port: try S.apiPort.read(from: config))
        workerMetrics = WorkerMetricsSettings(
            host: try S.workerMetricsHost.read(from: config), port: try S.workerMetricsPort.read(from: config))
        workerCPUs = try S.workerCPUs.read(from: config)
        logLevel = try S.logLevel.read(from: config)
        redisURL = try S.redisURL.read(from: config)
        rateLimit = RateLimitSettings(
            perMinute: try S.rateLimitPerMinute.read(from: config), burst: try S.rateLimitBurst.read(from: config))
        payment = PaymentSettings(
            maxAmount: try S.paymentMaxAmount.read(from: config),
            failureRate: try S.paymentFailureRate.read(from: config), delay: try S.paymentDelay.read(from: config))
        activity = ActivitySettings(
            maxAttempts: try S.activityMaxAttempts.read(from: config),
            initialInterval: try S.activityInitialInterval.read(from: config),
            localActivities: try S.localActivities.read(from: config))
        fraud = FraudSettings(
            screenEnabled: try S.fraudScreen.read(from: config), maxOrders: try S.fraudMaxOrders.read(from: config),
            maxAmount: try S.fraudMaxAmount.read(from: config),
            windowSeconds: try S.fraudWindowSeconds.read(from: config))
    }

    /// The settings from the environment, with `flags` (command-line values; nil = not given) taking precedence.
    /// An empty variable counts as unset, so `FOO=` in a compose file falls back to the default.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        flags: [(setting: any SettingDescription, value: String?)] = []
    ) throws(ConfigError) {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for flag in flags {
            guard let value = flag.value else { continue }
            flagValues[AbsoluteConfigKey(flag.setting.key)] = ConfigValue(
                .string(value), isSecret: flag.setting.isSecret)
        }
        let secrets = Set(OrderFlowSettings.all.filter(\.isSecret).map(\.variable))
        try self.init(
            reading: ConfigReader(providers: [
                InMemoryProvider(name: "command-line flags", values: flagValues),
                EnvironmentVariablesProvider(
                    environmentVariables: environment.filter { !$0.value.isEmpty },
                    secretsSpecifier: .specific(secrets)),
            ]))
    }

    /// Where Redis is, when REDIS_URL is set (validated when the configuration was read).
    public var redis: RedisSettings? {
        get throws(ConfigError) {
            guard let redisURL else { return nil }
            do {
                return try RedisSettings(url: redisURL)
            } catch {
                throw .invalidValue(
                    variable: OrderFlowSettings.redisURL.variable, value: Self.redactingCredentials(redisURL),
                    expected: error.description)
            }
        }
    }

    /// One line for the startup log. Leaves out the database password, the Temporal API key and
    /// any credentials in REDIS_URL.
    public var summary: String {
        [
            "postgres=\(postgres.user)@\(postgres.host):\(postgres.port)/\(postgres.database)",
            "postgres_pool_size=\(postgres.poolSize.map(String.init) ?? "default")",
            "postgres_statement_timeout_ms=\(Self.milliseconds(postgres.limits.statementTimeout))",
            "postgres_lock_timeout_ms=\(Self.milliseconds(postgres.limits.lockTimeout))",
            "temporal=\(temporal.hostPort)",
            "namespace=\(temporal.namespace)",
            "task_queue=\(temporal.taskQueue)",
            "temporal_tls=\(temporal.usesTLS ? "on" : "off")",
            "temporal_ui=\(temporal.uiURL)",
            "api=\(api.host):\(api.port)",
            "worker_metrics=\(workerMetrics.isEnabled ? "\(workerMetrics.host):\(workerMetrics.port)" : "off")",
            "worker_cpus=\(workerCPUs.map(\.description) ?? "all")",
            "log_level=\(logLevel.rawValue)",
            "redis=\(redisURL.map(Self.redactingCredentials) ?? "off")",
            "rate_limit=\(rateLimit.isEnabled ? "\(rateLimit.perMinute)/min burst \(rateLimit.burst)" : "off")",
            "payment_max_amount=\(payment.maxAmount)",
            "payment_failure_rate=\(payment.failureRate)",
            "payment_delay_ms=\(Self.milliseconds(payment.delay))",
            "activity_max_attempts=\(activity.maxAttempts)",
            "activity_initial_interval_ms=\(Self.milliseconds(activity.initialInterval))",
            "local_activities=\(activity.localActivities ? "on" : "off")",
            "fraud_screen=\(fraud.screenEnabled ? "on" : "off")",
            "fraud_velocity=\(fraud.maxOrders) orders/\(fraud.maxAmount) per \(fraud.windowSeconds)s",
        ].joined(separator: " ")
    }

    /// `redis://user:secret@host:6379/0` → `redis://***@host:6379/0`.
    static func redactingCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
