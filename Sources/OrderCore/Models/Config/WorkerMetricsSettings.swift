/// Where the worker serves its operations port: Prometheus `/metrics`, `/healthz` and `/readyz`.
public struct WorkerMetricsSettings: Sendable, Equatable {
    public var host: String
    /// 0 turns the port off (no metrics, no health endpoints).
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 9464) {
        self.host = host
        self.port = port
    }

    public var isEnabled: Bool { port != 0 }

    init(reading env: EnvironmentReader) throws(ConfigError) {
        let defaults = WorkerMetricsSettings()
        self.init(
            host: env.string("WORKER_METRICS_HOST", default: defaults.host),
            port: try env.integer("WORKER_METRICS_PORT", default: defaults.port, in: 0...65535))
    }
}
