import Foundation
import Logging
import OrderCore
import OrderStatusFeed
import OrderStore
import PostgresClient
import RedisClient
import ServiceLifecycle
import TemporalBridge

/// The real gateway and repository, plus the services that own their connections and
/// must be shut down with the server.
struct LiveDependencies {
    var gateway: any OrderWorkflowGateway
    var repository: any OrderRepository
    var services: [any Service]
    var redis: RedisDependencies?

    /// Neither connection is required to be up at start: `/readyz` reports them, and
    /// both reconnect, so the API can start before PostgreSQL or Temporal.
    /// Histogram buckets of the Temporal client's `temporal_request_latency` (sdk-core's), for the
    /// metrics bootstrap, which runs before anything connects.
    static var temporalLatencyBuckets: [String: [Duration]] { TemporalMetricNames.latencyBuckets }

    static func connect(config: OrderFlowConfig, logger: Logger) async throws -> LiveDependencies {
        let temporal = config.temporal
        var options = TemporalConnectionOptions(
            target: temporal.hostPort, namespace: temporal.namespace, apiKey: temporal.apiKey)
        if temporal.usesTLS {
            options.tls = .init(caFile: temporal.tlsCA, certFile: temporal.tlsCert, keyFile: temporal.tlsKey)
        }
        let connection = try TemporalConnection(options: options, logger: Logger(label: "order-api.temporal"))
        let gateway = TemporalOrderWorkflowGateway(
            client: WorkflowClient(connection: connection), taskQueue: temporal.taskQueue)

        let pool = PostgresPool(
            settings: config.postgres, maxConnections: config.postgres.poolSize(default: defaultPoolSize),
            logger: Logger(label: "order-api.postgres"))
        let repository = PostgresOrderRepository(
            store: OrderStore(pool: pool, logger: Logger(label: "order-api.store")))
        let redis = try config.redis.map {
            RedisDependencies(endpoint: RedisEndpoint($0), rateLimit: config.rateLimit, logger: logger)
        }
        return LiveDependencies(
            gateway: gateway, repository: repository,
            services: [PoolCloser(pool: pool)] + (redis.map { [RedisClientCloser(client: $0.client)] } ?? []),
            redis: redis)
    }

    /// The API's share of PostgreSQL without POSTGRES_POOL_SIZE: its requests run on one event loop per core and
    /// each holds a connection for one short statement, so a few per core keep every loop busy while others wait
    /// on Temporal.
    static var defaultPoolSize: Int {
        max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Shared (Redis) or per-process rate limiting; nil when RATE_LIMIT_PER_MINUTE is 0.
    func rateLimiter(_ settings: RateLimitSettings) -> (any RateLimiter)? {
        guard settings.isEnabled else { return nil }
        return redis?.rateLimiter ?? InProcessRateLimiter(settings: settings)
    }
}

/// Closes the PostgreSQL pool when the service group shuts down.
struct PoolCloser: Service {
    let pool: PostgresPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
