import Logging
import OrderCore
import OrderStatusFeed
import OrderStore
import PostgresClient
import TemporalBridge

/// Builds the TemporalBridge Worker that runs OrderWorkflow and the seven order activities on
/// one task queue. Used by `order-worker run` and by the integration tests (each with its own
/// task queue and settings).
enum OrderWorkerAssembly {
    static func worker(
        config: OrderFlowConfig, pool: PostgresPool, connection: TemporalConnection,
        options: WorkerOptions = WorkerOptions(), statusPublisher: any OrderStatusPublisher = NoStatusPublisher(),
        logger: Logger
    ) -> Worker {
        var activities = OrderActivities(
            store: OrderStore(pool: pool, logger: logger),
            payments: PaymentSimulator(settings: config.payment, ledger: PaymentProviderLedger(pool: pool)),
            logger: logger, statusPublisher: statusPublisher)
        activities.fraud = config.fraud
        return Worker(
            connection: connection, taskQueue: config.temporal.taskQueue,
            workflows: [OrderWorkflow(settings: config.activity, fraudScreen: config.fraud.screenEnabled).definition],
            activities: activities.definitions, options: options, logger: logger)
    }

    /// Connection options from the Temporal settings (TLS on when any TLS file or an API key is set).
    static func connectionOptions(_ settings: TemporalSettings) -> TemporalConnectionOptions {
        var options = TemporalConnectionOptions(
            target: settings.hostPort, namespace: settings.namespace, apiKey: settings.apiKey)
        if settings.usesTLS {
            options.tls = TemporalConnectionOptions.TLS(
                caFile: settings.tlsCA, certFile: settings.tlsCert, keyFile: settings.tlsKey)
        }
        return options
    }

    /// One cheap call that proves the frontend answers and the namespace exists.
    static func probe(_ connection: TemporalConnection, namespace: String) async throws {
        var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
        request.namespace = namespace
        _ = try await WorkflowServiceClient(connection: connection).describeNamespace(
            request, timeout: .seconds(5), retry: .none)
    }
}
