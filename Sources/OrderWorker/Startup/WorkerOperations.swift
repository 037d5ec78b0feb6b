import Logging
import OpsHTTP
import OrderCore
import PostgresClient
import Prometheus
import ServiceLifecycle
import TemporalBridge

/// The worker's operations port (WORKER_METRICS_HOST:WORKER_METRICS_PORT): Prometheus `/metrics`
/// with the temporal_* and orderflow_* series, `/healthz`, and `/readyz` — ready while the pollers
/// reach Temporal and PostgreSQL answers.
enum WorkerOperations {
    static let readinessTimeout: Duration = .seconds(2)

    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        PrometheusBootstrap.bootstrap(
            durationBuckets: TemporalMetricNames.latencyBuckets, valueBuckets: OrderMetrics.valueBuckets)
    }

    static func server(
        settings: WorkerMetricsSettings, registry: PrometheusCollectorRegistry, worker: Worker, pool: PostgresPool,
        logger: Logger
    ) -> any Service {
        OpsServer.service(
            host: settings.host, port: settings.port, registry: registry, serverName: "order-worker",
            readiness: { await readiness(worker: worker, pool: pool) }, logger: logger)
    }

    static func readiness(worker: Worker, pool: PostgresPool) async -> [DependencyCheck] {
        async let postgres = DependencyCheck.run("postgres", timeout: readinessTimeout) {
            try await pool.ping()
            return true
        }
        let polling = worker.readiness
        return [DependencyCheck(name: "temporal_pollers", up: polling.isReady, detail: polling.reason), await postgres]
    }
}
