import ArgumentParser
import Foundation
import Logging
import OpsHTTP
import OrderCore
import OrderStatusFeed
import OrderStore
import PostgresClient
import Prometheus
import RedisClient
import ServiceLifecycle
import TemporalBridge

/// `order-worker run` (the default): polls the task queue for OrderWorkflow and its activities
/// until SIGTERM or SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the worker until SIGTERM or SIGINT (the default subcommand).",
        discussion: CommonOptions.settingsHelp
    )

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Overrides TEMPORAL_HOST_PORT.")
    var temporalHostPort: String?

    @Option(name: .long, help: "Overrides TEMPORAL_TASK_QUEUE.")
    var taskQueue: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Apply pending database migrations before polling.")
    var migrate = true

    func run() async throws {
        MallocArenas.limitToCores()
        DefaultTimeZone.useGMT()
        let config = try options.loadConfig(more: [
            (OrderFlowSettings.temporalHostPort, temporalHostPort), (OrderFlowSettings.temporalTaskQueue, taskQueue),
        ])
        LoggingSetup.bootstrap(level: config.logLevel)
        let logger = LoggingSetup.logger("order-worker", level: config.logLevel)
        // Before the connections start their threads, so those inherit the set.
        if let cpus = config.workerCPUs { try CPUAffinity.restrict(to: cpus) }
        print("order-worker: \(config.summary)")
        // Visible at once even when stdout is a file or a pipe (compose logs, supervisors).
        fflush(nil)
        // Before anything makes a metric object (they stay no-ops when made before the bootstrap).
        let registry = config.workerMetrics.isEnabled ? WorkerOperations.bootstrapMetrics() : nil

        // Optional: without REDIS_URL status changes are not announced (the page polls). Short
        // timeouts bound what a Redis outage can add to an activity.
        let redis = try config.redis.map {
            RedisClient(
                endpoint: RedisEndpoint($0),
                options: RedisClientOptions(connectTimeout: .seconds(1), commandTimeout: .seconds(1)),
                logger: logger)
        }
        // Every activity slot may hold one connection at a time; fewer connections would turn queueing for one
        // into activity timeouts.
        let workerOptions = WorkerOptions()
        let pool = PostgresPool(
            settings: config.postgres,
            maxConnections: config.postgres.poolSize(default: workerOptions.maxConcurrentActivities), logger: logger)
        do {
            let connection = try await connect(config, pool: pool, logger: logger)
            let worker = OrderWorkerAssembly.worker(
                config: config, pool: pool, connection: connection, options: workerOptions,
                statusPublisher: redis.map { RedisOrderStatusPublisher(client: $0, logger: logger) }
                    ?? NoStatusPublisher(),
                logger: logger)
            // Shut down in reverse order: the worker drains first while the operations port still
            // answers (its /readyz then says the worker is shutting down).
            let operations = registry.map {
                WorkerOperations.server(
                    settings: config.workerMetrics, registry: $0, worker: worker, pool: pool, logger: logger)
            }
            let group = ServiceGroup(
                services: (operations.map { [$0] } ?? []) + [TemporalWorkerService(worker: worker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            try await group.run()
            logger.info("order-worker stopped")
        } catch let error as DependencyUnreachable {
            await pool.close()
            await redis?.close()
            StandardError.print("order-worker: refusing to start: \(error)")
            throw ExitCode.failure
        } catch let error as DependencyRefused {
            await pool.close()
            await redis?.close()
            StandardError.print("order-worker: refusing to start: \(error)")
            throw ExitCode.failure
        } catch is WorkerFatalError {
            // The worker logged why it stopped (one line, level critical); saying it again adds nothing.
            await pool.close()
            await redis?.close()
            throw ExitCode.failure
        } catch {
            await pool.close()
            await redis?.close()
            StandardError.print("order-worker failed: \(error)")
            throw ExitCode.failure
        }
        await pool.close()
        await redis?.close()
    }

    /// Waits (bounded) for PostgreSQL and Temporal, applies migrations, returns the connection.
    private func connect(_ config: OrderFlowConfig, pool: PostgresPool, logger: Logger) async throws
        -> TemporalConnection
    {
        let postgres = config.postgres
        try await DependencyWait(
            name: "PostgreSQL", target: "\(postgres.user)@\(postgres.host):\(postgres.port)/\(postgres.database)",
            timeout: options.startupWait, logger: logger
        ).wait { try await pool.ping() }
        if migrate {
            let applied = try await Migrator(pool: pool, logger: logger).migrate()
            if !applied.isEmpty { logger.info("applied migrations", metadata: ["migrations": "\(applied)"]) }
        }
        let connection = try TemporalConnection(
            options: OrderWorkerAssembly.connectionOptions(config.temporal), logger: logger)
        let namespace = config.temporal.namespace
        try await DependencyWait(
            name: "Temporal", target: "\(config.temporal.hostPort) namespace \(namespace)",
            timeout: options.startupWait, logger: logger,
            fatal: { error in
                guard let rpc = error as? TemporalRPCError, WorkerFatalError.isFatal(rpc) else { return nil }
                if rpc.code == .notFound {
                    return "namespace \"\(namespace)\" does not exist (\(rpc.code)): set TEMPORAL_NAMESPACE to an "
                        + "existing namespace, or create it with `temporal operator namespace create \(namespace)`"
                }
                return "the server refuses this worker (\(rpc)): check TEMPORAL_API_KEY, TEMPORAL_TLS_* and "
                    + "TEMPORAL_NAMESPACE"
            }
        ).wait { try await OrderWorkerAssembly.probe(connection, namespace: namespace) }
        return connection
    }
}
