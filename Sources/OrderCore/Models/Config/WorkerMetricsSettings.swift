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
}
