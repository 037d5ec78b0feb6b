import Foundation
import Logging
import OrderCore
import OrderStore
import PostgresClient
import TemporalBridge
import Testing

@testable import OrderWorker

/// An in-process order worker on its own task queue with its own settings, plus a client and a
/// database pool for assertions. Every integration test gets a fresh one.
final class WorkerHarness: Sendable {
    let config: OrderFlowConfig
    let pool: PostgresPool
    let connection: TemporalConnection
    let client: WorkflowClient
    let worker: Worker
    private let running: Task<Void, any Error>

    var taskQueue: String { config.temporal.taskQueue }

    /// `environment` overrides the process environment (e.g. `PAYMENT_MAX_AMOUNT`).
    init(environment overrides: [String: String] = [:], options: WorkerOptions = WorkerOptions()) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["TEMPORAL_TASK_QUEUE"] = WorkerTestDatabase.uniqueId("wtest-q")
        environment["ACTIVITY_INITIAL_INTERVAL_MS"] = "100"
        // Every test order is customer cust-worker-test's: the fraud screen's velocity limit would
        // otherwise decline them after the first twenty in an hour. Tests of the screen set their own.
        environment["FRAUD_VELOCITY_MAX_ORDERS"] = "100000000"
        environment["FRAUD_VELOCITY_MAX_AMOUNT"] = "100000000.00"
        for (key, value) in overrides { environment[key] = value }
        let config = try OrderFlowConfig(environment: environment)
        self.config = config
        pool = try await WorkerTestDatabase.pool()
        let logger = WorkerTestDatabase.logger
        connection = try TemporalConnection(
            options: OrderWorkerAssembly.connectionOptions(config.temporal), logger: logger)
        do {
            try await OrderWorkerAssembly.probe(connection, namespace: config.temporal.namespace)
        } catch {
            await pool.close()
            throw ServiceUnreachable(
                "Temporal at \(config.temporal.hostPort) is not reachable (start it with `bash scripts/services.sh up`): \(error)"
            )
        }
        client = WorkflowClient(connection: connection)
        let workerPool = pool
        worker = OrderWorkerAssembly.worker(
            config: config, pool: workerPool, connection: connection, options: options, logger: logger)
        let worker = worker
        running = Task { try await worker.run() }
    }

    func shutdown() async {
        worker.shutdown()
        _ = try? await running.value
        await pool.close()
    }

    /// Runs `body` with a fresh harness, shutting it down afterwards whatever happens.
    static func with<T>(
        environment: [String: String] = [:], options: WorkerOptions = WorkerOptions(),
        _ body: (WorkerHarness) async throws -> T
    ) async throws -> T {
        let harness = try await WorkerHarness(environment: environment, options: options)
        do {
            let result = try await body(harness)
            await harness.shutdown()
            return result
        } catch {
            await harness.shutdown()
            throw error
        }
    }

    // MARK: orders

    /// Starts OrderWorkflow with the JSON input of docs/workflow.md; workflow ID = order ID.
    func start(orderId: String = WorkerTestDatabase.uniqueId("wt-order"), items: [(productId: String, quantity: Int)])
        async throws -> WorkflowHandle
    {
        let input = OrderInput(
            orderId: orderId, customerId: "cust-worker-test",
            items: items.map {
                OrderItem(
                    productId: $0.productId, productName: "as sent", quantity: $0.quantity, unitPrice: Money(cents: 1))
            })
        return try await client.start(
            workflowType: OrderWorkflowContract.workflowType, id: orderId, taskQueue: taskQueue, args: [input])
    }

    func result(_ handle: WorkflowHandle) async throws -> OrderWorkflowResult {
        try await client.result(handle, as: OrderWorkflowResult.self)
    }

    /// The failure type the run failed with; records an issue when it did not fail.
    func failureType(_ handle: WorkflowHandle) async throws -> String? {
        do {
            let result = try await result(handle)
            Issue.record("expected the workflow to fail, it completed with \(result)")
            return nil
        } catch let failed as WorkflowFailedError {
            return failed.applicationFailureType
        }
    }

    func status(_ handle: WorkflowHandle) async throws -> OrderStatusReport {
        try await client.query(handle, name: OrderWorkflowContract.statusQuery, as: OrderStatusReport.self)
    }

    /// Polls `getStatus` until `condition` holds (at most `timeout`).
    @discardableResult
    func waitForStatus(
        _ handle: WorkflowHandle, timeout: Duration = .seconds(20),
        _ condition: (OrderStatusReport) -> Bool
    ) async throws -> OrderStatusReport {
        let deadline = ContinuousClock.now + timeout
        while true {
            let report = try await status(handle)
            if condition(report) { return report }
            guard ContinuousClock.now < deadline else {
                throw HarnessTimeout("getStatus never matched; last \(report)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Polls the run's history until it has an event of `type`.
    func waitForEvent(
        _ handle: WorkflowHandle, _ type: Temporal_Api_Enums_V1_EventType, timeout: Duration = .seconds(20)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !client.history(handle).contains(where: { $0.eventType == type }) {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout("no \(type) event in history") }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// The activity types in the order they were scheduled.
    func scheduledActivities(_ handle: WorkflowHandle) async throws -> [String] {
        try await client.history(handle).compactMap { event in
            guard case .activityTaskScheduledEventAttributes(let attributes)? = event.attributes else { return nil }
            return attributes.activityType.name
        }
    }

    /// Attempts recorded in ActivityTaskStarted events, by activity type.
    func startedAttempts(_ handle: WorkflowHandle) async throws -> [String: [Int]] {
        let events = try await client.history(handle)
        var typeByScheduledId: [Int64: String] = [:]
        var attempts: [String: [Int]] = [:]
        for event in events {
            switch event.attributes {
            case .activityTaskScheduledEventAttributes(let attributes)?:
                typeByScheduledId[event.eventID] = attributes.activityType.name
            case .activityTaskStartedEventAttributes(let attributes)?:
                attempts[typeByScheduledId[attributes.scheduledEventID] ?? "?", default: []].append(
                    Int(attributes.attempt))
            default: break
            }
        }
        return attempts
    }

    // MARK: database

    /// Holds a row lock on `productId` while `body` runs, so CheckInventory (which updates that
    /// row) cannot finish in the meantime: a deterministic way to act "while a step is in flight".
    func holdingProductLock<T: Sendable>(_ productId: String, _ body: @Sendable () async throws -> T) async throws -> T
    {
        let lockPool = PostgresPool(
            settings: WorkerTestDatabase.settings, maxConnections: 1, logger: WorkerTestDatabase.logger)
        defer { Task { await lockPool.close() } }
        return try await lockPool.withTransaction { transaction in
            try await transaction.query("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", [.string(productId)])
            return try await body()
        }
    }

    func orderRow(_ orderId: String) async throws -> PostgresRow? {
        try await pool.query(
            "SELECT status, total, failure_reason, workflow_id, run_id FROM orders WHERE id = $1", [.string(orderId)]
        ).first
    }

    func notificationKinds(_ orderId: String) async throws -> [String] {
        try await pool.query("SELECT kind FROM notifications WHERE order_id = $1 ORDER BY kind", [.string(orderId)])
            .map { try $0.string("kind") }
    }

    func payment(_ orderId: String) async throws -> PostgresRow? {
        try await pool.query(
            "SELECT amount, status, transaction_id, refunded_at FROM payments WHERE order_id = $1", [.string(orderId)]
        ).first
    }

    func unreleasedReservations(_ orderId: String) async throws -> Int {
        try await pool.query(
            "SELECT count(*) AS n FROM inventory_reservations WHERE order_id = $1 AND released_at IS NULL",
            [.string(orderId)]
        ).first?.int("n") ?? 0
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
