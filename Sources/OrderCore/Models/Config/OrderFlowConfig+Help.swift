extension OrderFlowConfig {
    /// Every environment variable with its default and meaning, for `--help` texts and the README.
    public static let settingsHelp: [(variable: String, defaultValue: String, meaning: String)] = [
        ("POSTGRES_HOST", "localhost", "PostgreSQL host"),
        ("POSTGRES_PORT", "5432", "PostgreSQL port"),
        ("POSTGRES_USER", "orderflow", "PostgreSQL user"),
        ("POSTGRES_PASSWORD", "orderflow123", "PostgreSQL password"),
        ("POSTGRES_DB", "orderflow", "PostgreSQL database"),
        (
            "POSTGRES_POOL_SIZE", "(sized to the work)",
            "connections per process; worker: its activity slots (100), API: 4 per CPU core, at least 8"
        ),
        (
            "POSTGRES_ACQUIRE_TIMEOUT_MS", "2000",
            "longest wait for a free pooled connection (kept below start-to-close)"
        ),
        (
            "POSTGRES_STATEMENT_TIMEOUT_MS", "5000",
            "statement_timeout; the client also drops a connection that has not answered 2 s after it (0 = off)"
        ),
        ("POSTGRES_LOCK_TIMEOUT_MS", "2000", "lock_timeout: longest wait for a row or table lock (0 = off)"),
        ("POSTGRES_CONNECT_TIMEOUT_S", "5", "connect_timeout in seconds"),
        ("POSTGRES_KEEPALIVES_IDLE_S", "10", "seconds idle before the first TCP keepalive probe"),
        ("POSTGRES_KEEPALIVES_INTERVAL_S", "5", "seconds between TCP keepalive probes"),
        ("POSTGRES_KEEPALIVES_COUNT", "3", "unanswered keepalive probes before the connection counts as dead"),
        (
            "POSTGRES_TCP_USER_TIMEOUT_MS", "10000",
            "tcp_user_timeout: sent data unacknowledged this long breaks the connection (0 = system default)"
        ),
        ("TEMPORAL_HOST_PORT", "localhost:7233", "Temporal frontend gRPC address (host:port)"),
        ("TEMPORAL_NAMESPACE", "default", "Temporal namespace"),
        ("TEMPORAL_TASK_QUEUE", "order-processing", "task queue of OrderWorkflow and its activities"),
        ("TEMPORAL_TLS_CA", "(unset)", "PEM file of the CA that signed the Temporal server certificate; set = TLS"),
        ("TEMPORAL_TLS_CERT", "(unset)", "PEM client certificate for mTLS (together with TEMPORAL_TLS_KEY)"),
        ("TEMPORAL_TLS_KEY", "(unset)", "PEM client private key for mTLS (together with TEMPORAL_TLS_CERT)"),
        ("TEMPORAL_API_KEY", "(unset)", "API key sent as bearer token (e.g. Temporal Cloud); implies TLS"),
        ("TEMPORAL_UI_URL", "http://localhost:8088", "Temporal Web UI base URL, for links to workflows"),
        ("API_HOST", "127.0.0.1", "address the HTTP API listens on"),
        ("API_PORT", "8080", "port the HTTP API listens on"),
        ("WORKER_METRICS_HOST", "127.0.0.1", "address of the worker's /metrics, /healthz and /readyz"),
        ("WORKER_METRICS_PORT", "9464", "port of the worker's /metrics, /healthz and /readyz; 0 turns them off"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error or critical"),
        (
            "REDIS_URL", "(unset)",
            "redis://[[user]:password@]host[:port][/db]; shared rate limiting and the live status feed"
        ),
        ("RATE_LIMIT_PER_MINUTE", "6000", "order creations per minute per client (remote IP); 0 turns limiting off"),
        ("RATE_LIMIT_BURST", "1000", "order creations a client may make at once before the per-minute rate applies"),
        ("PAYMENT_MAX_AMOUNT", "10000.00", "payments above this amount are declined (PaymentDeclined)"),
        ("PAYMENT_FAILURE_RATE", "0.0", "share of payment attempts that fail transiently (0.0–1.0)"),
        ("PAYMENT_DELAY_MS", "0", "simulated payment processing time in milliseconds"),
        (
            "ACTIVITY_MAX_ATTEMPTS", "5",
            "attempts per activity before it fails (backoff 2.0, max interval 30 s, start-to-close 10 s)"
        ),
        ("ACTIVITY_INITIAL_INTERVAL_MS", "1000", "first retry interval of activities in milliseconds"),
        (
            "LOCAL_ACTIVITIES", "off",
            "on runs CreateOrder and CheckInventory of new orders as local activities (markers, not activity tasks)"
        ),
        (
            "FRAUD_SCREEN", "on",
            "off runs OrderWorkflow as built before the fraud screen (its old code path, for a rolling upgrade)"
        ),
        (
            "FRAUD_VELOCITY_MAX_ORDERS", "20",
            "orders one customer may place within the window; the next fails FraudSuspected"
        ),
        (
            "FRAUD_VELOCITY_MAX_AMOUNT", "50000.00",
            "total one customer may order within the window; an order going over fails FraudSuspected"
        ),
        ("FRAUD_VELOCITY_WINDOW_SECONDS", "3600", "the fraud screen's look-back window in seconds"),
    ]
}
