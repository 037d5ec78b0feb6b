import Foundation
import Logging

/// Everything the worker and the API read from the environment, with the defaults of docs/configuration.md.
/// Properties are `var` so command-line flags can override what the environment said.
public struct OrderFlowConfig: Sendable {
    public var postgres: PostgresSettings
    public var temporal: TemporalSettings
    public var api: APISettings
    /// The worker's operations port (`/metrics`, `/healthz`, `/readyz`).
    public var workerMetrics: WorkerMetricsSettings
    public var logLevel: Logger.Level
    /// Redis is optional: nil keeps rate limiting in each process and turns off the live status feed.
    public var redisURL: String?
    /// Per-client limit on order creation (in Redis when configured, else in process).
    public var rateLimit: RateLimitSettings
    public var payment: PaymentSettings
    public var activity: ActivitySettings
    public var fraud: FraudSettings

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        let env = EnvironmentReader(environment: environment)
        postgres = try PostgresSettings(reading: env)
        temporal = try TemporalSettings(reading: env)
        api = try APISettings(reading: env)
        workerMetrics = try WorkerMetricsSettings(reading: env)
        logLevel = try Self.logLevel(reading: env)
        redisURL = env.string("REDIS_URL")
        if let redisURL {
            do {
                _ = try RedisSettings(url: redisURL)
            } catch {
                throw .invalidValue(
                    variable: "REDIS_URL", value: Self.redactingCredentials(redisURL), expected: error.description)
            }
        }
        rateLimit = try RateLimitSettings(reading: env)
        payment = try PaymentSettings(reading: env)
        activity = try ActivitySettings(reading: env)
        fraud = try FraudSettings(reading: env)
    }

    /// Where Redis is, when REDIS_URL is set (validated when the configuration was read).
    public var redis: RedisSettings? {
        get throws(ConfigError) {
            guard let redisURL else { return nil }
            do {
                return try RedisSettings(url: redisURL)
            } catch {
                throw .invalidValue(
                    variable: "REDIS_URL", value: Self.redactingCredentials(redisURL), expected: error.description)
            }
        }
    }

    private static func logLevel(reading env: EnvironmentReader) throws(ConfigError) -> Logger.Level {
        guard let text = env.string("LOG_LEVEL") else { return .info }
        let normalized = text.trimmingASCIIWhitespace().lowercased()
        if let level = Logger.Level(rawValue: normalized) { return level }
        if normalized == "warn" { return .warning }
        let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        throw .invalidValue(variable: "LOG_LEVEL", value: text, expected: "one of \(names)")
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
