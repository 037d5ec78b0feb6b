import Logging
import OrderCore
import Testing

@Suite("OrderFlowConfig from the environment")
struct ConfigTests {
    @Test("an empty environment gives the documented defaults")
    func defaults() throws {
        let config = try OrderFlowConfig(environment: [:])
        #expect(
            config.postgres
                == PostgresSettings(
                    host: "localhost", port: 5432, user: "orderflow", password: "orderflow123", database: "orderflow"))
        #expect(config.temporal.hostPort == "localhost:7233")
        #expect(config.temporal.namespace == "default")
        #expect(config.temporal.taskQueue == "order-processing")
        #expect(config.temporal.tlsCA == nil && config.temporal.tlsCert == nil && config.temporal.tlsKey == nil)
        #expect(config.temporal.apiKey == nil)
        #expect(!config.temporal.usesTLS)
        #expect(config.temporal.uiURL == "http://localhost:8088")
        #expect(config.api == APISettings(host: "127.0.0.1", port: 8080))
        #expect(config.workerMetrics == WorkerMetricsSettings(host: "127.0.0.1", port: 9464))
        #expect(config.workerMetrics.isEnabled)
        #expect(config.workerCPUs == nil)
        #expect(config.logLevel == .info)
        #expect(config.redisURL == nil)
        #expect(config.payment.maxAmount == Money(cents: 1_000_000))
        #expect(config.payment.failureRate == 0.0)
        #expect(config.payment.delay == .zero)
        #expect(config.activity.maxAttempts == 5)
        #expect(config.activity.initialInterval == .milliseconds(1000))
        #expect(config.activity.backoffCoefficient == 2.0)
        #expect(config.activity.maximumInterval == .seconds(30))
        #expect(config.activity.startToCloseTimeout == .seconds(10))
    }

    @Test("every variable is read")
    func overrides() throws {
        let config = try OrderFlowConfig(environment: [
            "POSTGRES_HOST": "db", "POSTGRES_PORT": "6543", "POSTGRES_USER": "u", "POSTGRES_PASSWORD": "p",
            "POSTGRES_DB": "d", "TEMPORAL_HOST_PORT": "temporal:7233", "TEMPORAL_NAMESPACE": "ns",
            "TEMPORAL_TASK_QUEUE": "q", "TEMPORAL_TLS_CA": "/ca.pem", "TEMPORAL_TLS_CERT": "/c.pem",
            "TEMPORAL_TLS_KEY": "/k.pem", "TEMPORAL_API_KEY": "key", "TEMPORAL_UI_URL": "https://ui.example/",
            "API_HOST": "0.0.0.0", "API_PORT": "9090", "LOG_LEVEL": "DEBUG", "REDIS_URL": "redis://localhost:6379",
            "PAYMENT_MAX_AMOUNT": "500.5", "PAYMENT_FAILURE_RATE": "0.25", "PAYMENT_DELAY_MS": "150",
            "ACTIVITY_MAX_ATTEMPTS": "3", "ACTIVITY_INITIAL_INTERVAL_MS": "200", "FRAUD_SCREEN": "Off",
            "FRAUD_VELOCITY_MAX_ORDERS": "7", "FRAUD_VELOCITY_MAX_AMOUNT": "900", "FRAUD_VELOCITY_WINDOW_SECONDS": "60",
            "WORKER_METRICS_HOST": "0.0.0.0", "WORKER_METRICS_PORT": "9470", "WORKER_CPUS": "0-2,5",
        ])
        #expect(config.postgres == PostgresSettings(host: "db", port: 6543, user: "u", password: "p", database: "d"))
        #expect(
            config.temporal
                == TemporalSettings(
                    hostPort: "temporal:7233", namespace: "ns", taskQueue: "q", tlsCA: "/ca.pem", tlsCert: "/c.pem",
                    tlsKey: "/k.pem", apiKey: "key", uiURL: "https://ui.example"))
        #expect(config.temporal.usesTLS)
        #expect(config.api == APISettings(host: "0.0.0.0", port: 9090))
        #expect(config.workerMetrics == WorkerMetricsSettings(host: "0.0.0.0", port: 9470))
        #expect(config.workerCPUs?.cpus == [0, 1, 2, 5])
        #expect(config.logLevel == .debug)
        #expect(config.redisURL == "redis://localhost:6379")
        #expect(
            config.payment
                == PaymentSettings(maxAmount: Money(cents: 50_050), failureRate: 0.25, delay: .milliseconds(150)))
        #expect(config.activity.maxAttempts == 3)
        #expect(config.activity.initialInterval == .milliseconds(200))
        #expect(
            config.fraud
                == FraudSettings(screenEnabled: false, maxOrders: 7, maxAmount: Money(cents: 90_000), windowSeconds: 60)
        )
    }

    @Test("the fraud screen is on by default, with its velocity limits")
    func fraudDefaults() throws {
        let fraud = try OrderFlowConfig(environment: [:]).fraud
        #expect(
            fraud
                == FraudSettings(
                    screenEnabled: true, maxOrders: 20, maxAmount: Money(cents: 5_000_000), windowSeconds: 3600))
        #expect(try OrderFlowConfig(environment: ["FRAUD_SCREEN": "on"]).fraud.screenEnabled)
    }

    @Test("empty values fall back to defaults")
    func emptyIsUnset() throws {
        let config = try OrderFlowConfig(environment: ["POSTGRES_PORT": "", "REDIS_URL": "", "TEMPORAL_API_KEY": ""])
        #expect(config.postgres.port == 5432)
        #expect(config.redisURL == nil)
        #expect(config.temporal.apiKey == nil)
    }

    @Test("WORKER_METRICS_PORT=0 turns the worker's operations port off")
    func workerMetricsOff() throws {
        let config = try OrderFlowConfig(environment: ["WORKER_METRICS_PORT": "0"])
        #expect(!config.workerMetrics.isEnabled)
        #expect(config.summary.contains("worker_metrics=off"))
    }

    @Test(
        "an invalid value names its variable",
        arguments: [
            ("POSTGRES_PORT", "abc"), ("POSTGRES_PORT", "0"), ("POSTGRES_PORT", "65536"), ("API_PORT", "-1"),
            ("API_PORT", "80.5"), ("TEMPORAL_HOST_PORT", "localhost"), ("TEMPORAL_HOST_PORT", ":7233"),
            ("TEMPORAL_HOST_PORT", "host:port"), ("TEMPORAL_UI_URL", "localhost:8088"), ("LOG_LEVEL", "loud"),
            ("REDIS_URL", "localhost:6379"), ("PAYMENT_MAX_AMOUNT", "ten"), ("PAYMENT_MAX_AMOUNT", "1.005"),
            ("PAYMENT_MAX_AMOUNT", "-1"), ("PAYMENT_FAILURE_RATE", "1.5"), ("PAYMENT_FAILURE_RATE", "-0.1"),
            ("PAYMENT_FAILURE_RATE", "nan"), ("PAYMENT_DELAY_MS", "-5"), ("PAYMENT_DELAY_MS", "fast"),
            ("ACTIVITY_MAX_ATTEMPTS", "0"), ("ACTIVITY_MAX_ATTEMPTS", "many"), ("ACTIVITY_INITIAL_INTERVAL_MS", "0"),
            ("FRAUD_SCREEN", "maybe"), ("FRAUD_VELOCITY_MAX_ORDERS", "0"), ("FRAUD_VELOCITY_MAX_AMOUNT", "-3"),
            ("FRAUD_VELOCITY_WINDOW_SECONDS", "0"),
            ("WORKER_METRICS_PORT", "65536"), ("WORKER_METRICS_PORT", "-1"), ("WORKER_METRICS_PORT", "off"),
            ("WORKER_CPUS", "one"), ("WORKER_CPUS", "3-1"), ("WORKER_CPUS", "-1"), ("WORKER_CPUS", "0,,1"),
            ("WORKER_CPUS", "99999"),
        ])
    func invalid(variable: String, value: String) {
        do {
            _ = try OrderFlowConfig(environment: [variable: value])
            Issue.record("\(variable)=\(value) should be refused")
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.contains(variable))
            #expect(error.description.contains(value))
        }
    }

    @Test("a flag wins over its variable and is checked like it")
    func flags() throws {
        let config = try OrderFlowConfig(
            environment: ["API_PORT": "9090", "LOG_LEVEL": "debug", "POSTGRES_HOST": "db"],
            flags: [(OrderFlowSettings.apiPort, "7000"), (OrderFlowSettings.logLevel, nil)])
        #expect(config.api.port == 7000)
        #expect(config.logLevel == .debug)
        #expect(config.postgres.host == "db")
        #expect(
            throws: ConfigError.invalidValue(
                variable: "API_PORT", value: "0", expected: "a port number from 1 to 65535")
        ) {
            try OrderFlowConfig(environment: [:], flags: [(OrderFlowSettings.apiPort, "0")])
        }
    }

    @Test("each default in the help table is the settings structs' value, shown as the variable takes it")
    func helpDefaultsAreTheValues() throws {
        let defaults = Dictionary(
            uniqueKeysWithValues: OrderFlowConfig.settingsHelp.map { ($0.variable, $0.defaultValue) })
        // Reading every shown default back gives the default configuration again.
        let shown = defaults.filter { !$0.value.hasPrefix("(") }
        let reread = try OrderFlowConfig(environment: shown)
        let plain = try OrderFlowConfig(environment: [:])
        #expect(reread.postgres == plain.postgres)
        #expect(reread.temporal == plain.temporal)
        #expect(reread.payment == plain.payment)
        #expect(reread.activity == plain.activity)
        #expect(reread.fraud == plain.fraud)
        #expect(reread.rateLimit == plain.rateLimit)
        #expect(reread.workerMetrics == plain.workerMetrics)
        #expect(reread.logLevel == plain.logLevel)
        #expect(defaults["POSTGRES_STATEMENT_TIMEOUT_MS"] == "5000")
        #expect(defaults["FRAUD_SCREEN"] == "on")
        #expect(defaults["TEMPORAL_API_KEY"] == "(unset)")
    }

    @Test("TLS certificate and key go together")
    func certWithoutKey() {
        #expect(throws: ConfigError.self) { try OrderFlowConfig(environment: ["TEMPORAL_TLS_CERT": "/c.pem"]) }
        do {
            _ = try OrderFlowConfig(environment: ["TEMPORAL_TLS_CERT": "/c.pem"])
        } catch {
            #expect(error.variable == "TEMPORAL_TLS_KEY")
        }
    }

    @Test("IPv6 host:port and the 'warn' log level are understood")
    func lenientForms() throws {
        let config = try OrderFlowConfig(environment: ["TEMPORAL_HOST_PORT": "[::1]:7233", "LOG_LEVEL": "warn"])
        #expect(config.temporal.hostPort == "[::1]:7233")
        #expect(config.logLevel == .warning)
    }

    @Test("summary is one line without secrets")
    func summary() throws {
        let config = try OrderFlowConfig(environment: [
            "POSTGRES_PASSWORD": "s3cret-pg", "TEMPORAL_API_KEY": "s3cret-key",
            "REDIS_URL": "redis://user:s3cret-redis@cache:6379/0",
        ])
        let summary = config.summary
        #expect(!summary.contains("\n"))
        #expect(!summary.contains("s3cret"))
        #expect(summary.contains("postgres=orderflow@localhost:5432/orderflow"))
        #expect(summary.contains("redis=redis://***@cache:6379/0"))
        #expect(summary.contains("payment_max_amount=10000.00"))
        #expect(summary.contains("temporal_tls=on"))
    }

    @Test("PostgreSQL pool size and connection limits: defaults, overrides and bounds")
    func postgresLimits() throws {
        let defaults = try OrderFlowConfig(environment: [:]).postgres
        #expect(defaults.poolSize == nil)
        #expect(defaults.poolSize(default: 100) == 100)
        #expect(defaults.limits == PostgresConnectionLimits())
        #expect(defaults.limits.statementTimeout == .seconds(5))
        #expect(defaults.limits.lockTimeout == .seconds(2))
        // Waiting for a connection must fail an activity attempt well before its 10 s start-to-close.
        #expect(defaults.limits.acquireTimeout <= .seconds(5))
        #expect(defaults.limits.keepalivesIdleSeconds == 10)
        #expect(defaults.limits.keepalivesIntervalSeconds == 5)
        #expect(defaults.limits.keepalivesCount == 3)
        #expect(defaults.limits.tcpUserTimeout == .seconds(10))

        let set = try OrderFlowConfig(environment: [
            "POSTGRES_POOL_SIZE": "12", "POSTGRES_ACQUIRE_TIMEOUT_MS": "750", "POSTGRES_STATEMENT_TIMEOUT_MS": "0",
            "POSTGRES_LOCK_TIMEOUT_MS": "300", "POSTGRES_CONNECT_TIMEOUT_S": "3", "POSTGRES_KEEPALIVES_IDLE_S": "7",
            "POSTGRES_KEEPALIVES_INTERVAL_S": "2", "POSTGRES_KEEPALIVES_COUNT": "4",
            "POSTGRES_TCP_USER_TIMEOUT_MS": "4000",
        ]).postgres
        #expect(set.poolSize == 12)
        #expect(set.poolSize(default: 100) == 12)
        #expect(
            set.limits
                == PostgresConnectionLimits(
                    statementTimeout: .zero, lockTimeout: .milliseconds(300), acquireTimeout: .milliseconds(750),
                    connectTimeoutSeconds: 3, keepalivesIdleSeconds: 7, keepalivesIntervalSeconds: 2,
                    keepalivesCount: 4, tcpUserTimeout: .seconds(4)))

        for (name, value) in [
            ("POSTGRES_POOL_SIZE", "0"), ("POSTGRES_POOL_SIZE", "many"), ("POSTGRES_ACQUIRE_TIMEOUT_MS", "0"),
            ("POSTGRES_STATEMENT_TIMEOUT_MS", "-1"), ("POSTGRES_KEEPALIVES_COUNT", "0"),
            ("POSTGRES_CONNECT_TIMEOUT_S", "1"),
        ] {
            #expect(throws: ConfigError.self, "\(name)=\(value)") {
                _ = try OrderFlowConfig(environment: [name: value])
            }
        }
    }

    @Test("help lists every documented variable with its default")
    func help() {
        let variables = OrderFlowConfig.settingsHelp.map(\.variable)
        for name in [
            "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "TEMPORAL_HOST_PORT",
            "TEMPORAL_NAMESPACE", "TEMPORAL_TASK_QUEUE", "API_HOST", "API_PORT", "LOG_LEVEL", "TEMPORAL_UI_URL",
            "REDIS_URL", "TEMPORAL_TLS_CA", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_API_KEY",
            "PAYMENT_MAX_AMOUNT", "PAYMENT_FAILURE_RATE", "PAYMENT_DELAY_MS", "ACTIVITY_MAX_ATTEMPTS",
            "ACTIVITY_INITIAL_INTERVAL_MS", "FRAUD_SCREEN", "FRAUD_VELOCITY_MAX_ORDERS", "FRAUD_VELOCITY_MAX_AMOUNT",
            "FRAUD_VELOCITY_WINDOW_SECONDS", "WORKER_METRICS_HOST", "WORKER_METRICS_PORT",
            "POSTGRES_POOL_SIZE", "POSTGRES_STATEMENT_TIMEOUT_MS",
            "POSTGRES_LOCK_TIMEOUT_MS", "POSTGRES_ACQUIRE_TIMEOUT_MS", "POSTGRES_KEEPALIVES_IDLE_S",
            "POSTGRES_KEEPALIVES_INTERVAL_S", "POSTGRES_KEEPALIVES_COUNT", "POSTGRES_TCP_USER_TIMEOUT_MS",
        ] {
            #expect(variables.contains(name), "missing \(name)")
        }
        #expect(Set(variables).count == variables.count)
        let defaults = Dictionary(
            uniqueKeysWithValues: OrderFlowConfig.settingsHelp.map { ($0.variable, $0.defaultValue) })
        #expect(defaults["API_PORT"] == "8080")
        #expect(defaults["PAYMENT_MAX_AMOUNT"] == "10000.00")
        #expect(defaults["WORKER_METRICS_PORT"] == "9464")
    }
}
