import Foundation
import HummingbirdTesting
import Logging
import OrderCore
import OrderStore
import PostgresClient
import Synchronization
import Testing

@testable import OrderAPI

/// Concurrent duplicate creates against the real PostgreSQL, with a Temporal stand-in whose starts wait at
/// gates the test opens: a create whose start fails never deletes the row of an order whose workflow runs.
@Suite("create races on PostgreSQL", .serialized)
struct CreateOrderRaceTests {
    /// A request that wrote the row fails its start after a duplicate started the workflow and claimed the row.
    @Test func aFailedStartKeepsTheRowADuplicateClaimed() async throws {
        try await withRace(plans: [.init(gated: true, outcome: .fail), .init(gated: false, outcome: .succeed)]) {
            race in
            let orderId = race.newOrderId()
            let first = Task { try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId)) }
            try await race.waitUntil("the first request wrote the row and is starting") {
                try await race.row(orderId) != nil && race.gateway.startCalls == 1
            }
            let second = try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId))
            #expect(second.status == .created, "\(second.text)")
            race.gateway.open(0)
            #expect(try await first.value.status == .serviceUnavailable)

            let row = try #require(try await race.row(orderId), "the order of a running workflow vanished")
            #expect(row.status == .pending)
            #expect(row.runId == second.json["run_id"] as? String)
        }
    }

    /// The failed request takes its row back before the duplicate's start succeeds: the duplicate writes it again.
    @Test func aDuplicateWhoseStartSucceedsWritesTheRowBack() async throws {
        try await withRace(plans: [.init(gated: true, outcome: .fail), .init(gated: true, outcome: .succeed)]) {
            race in
            let orderId = race.newOrderId()
            let first = Task { try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId)) }
            try await race.waitUntil("the first request wrote the row and is starting") {
                try await race.row(orderId) != nil && race.gateway.startCalls == 1
            }
            let second = Task { try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId)) }
            try await race.waitUntil("the duplicate found the row and is starting") {
                race.repository.pendingWrites == 2 && race.gateway.startCalls == 2
            }
            race.gateway.open(0)
            #expect(try await first.value.status == .serviceUnavailable)
            #expect(try await race.row(orderId) == nil, "the refused request took its row back")

            race.gateway.open(1)
            let created = try await second.value
            #expect(created.status == .created, "\(created.text)")
            let row = try #require(try await race.row(orderId), "the started order has no row")
            #expect(row.status == .pending)
            #expect(row.runId == created.json["run_id"] as? String)
        }
    }

    /// A start that timed out but went through: Temporal knows the workflow, so the row stays.
    @Test func aStartThatWentThroughDespiteItsErrorKeepsTheRow() async throws {
        try await withRace(plans: [.init(gated: false, outcome: .failAfterStarting)], checksReachTemporal: true) {
            race in
            let orderId = race.newOrderId()
            let response = try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId))
            #expect(response.status == .serviceUnavailable)
            #expect(try await race.row(orderId)?.status == .pending)
        }
    }

    /// Nothing started: a refused create leaves nothing behind.
    @Test func aRefusedCreateLeavesNoRow() async throws {
        try await withRace(plans: [.init(gated: false, outcome: .fail)], checksReachTemporal: true) { race in
            let orderId = race.newOrderId()
            let response = try await race.client.postJSON("/api/orders", Bodies.order(orderId: orderId))
            #expect(response.status == .serviceUnavailable)
            #expect(try await race.row(orderId) == nil)
        }
    }

    // MARK: - support

    struct Race: Sendable {
        let client: any TestClientProtocol
        let gateway: GatedGateway
        let repository: CountingRepository
        let store: OrderStore

        func newOrderId() -> String { "race-\(UUID().uuidString.prefix(13).lowercased())" }

        func row(_ orderId: String) async throws -> Order? { try await store.orderSummary(id: orderId) }

        func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await !condition() {
                guard ContinuousClock.now < deadline else { throw RaceTimeout(description: "never: \(what)") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    struct RaceTimeout: Error, CustomStringConvertible {
        let description: String
    }

    private func withRace(
        plans: [GatedGateway.Plan], checksReachTemporal: Bool = false, _ body: @Sendable (Race) async throws -> Void
    ) async throws {
        let settings = (try? OrderFlowConfig().postgres) ?? PostgresSettings()
        var logger = Logger(label: "order-api-race-test")
        logger.logLevel = .critical
        let pool = PostgresPool(settings: settings, maxConnections: 4, acquireTimeout: .seconds(20), logger: logger)
        do {
            try await Migrator(pool: pool, logger: logger).migrate()
        } catch {
            await pool.close()
            Issue.record("PostgreSQL is not reachable (run `make services-up`): \(error)")
            throw error
        }
        let store = OrderStore(pool: pool)
        let gateway = GatedGateway(plans: plans, checksReachTemporal: checksReachTemporal)
        let repository = CountingRepository(base: PostgresOrderRepository(store: store))
        _ = SharedMetrics.bootstrapped
        let services = APIServices(
            gateway: gateway, repository: repository,
            web: WebSettings(temporalUIURL: "http://ui.test:8088", temporalNamespace: "default"),
            publicDirectory: APITestHarness.publicDirectory, metricsRegistry: SharedMetrics.registry)
        do {
            let app = try buildApplication(services: services, logger: logger)
            try await app.test(.router) { client in
                try await body(Race(client: client, gateway: gateway, repository: repository, store: store))
            }
        } catch {
            gateway.openAll()
            await pool.close()
            throw error
        }
        await pool.close()
    }
}

/// Temporal for the race tests: the n-th start waits at gate n (if gated), then fails or starts the workflow.
final class GatedGateway: OrderWorkflowGateway {
    struct Plan: Sendable {
        enum Outcome: Sendable {
            case fail
            /// The start reached the server, but its answer was lost (a timeout): an error, and a workflow.
            case failAfterStarting
            case succeed
        }

        var gated: Bool
        var outcome: Outcome
    }

    private struct State {
        var plans: [Plan]
        var open: Set<Int> = []
        var startCalls = 0
        var runs: [String: String] = [:]
    }

    private let state: Mutex<State>
    /// False: `workflowExists` fails as if Temporal were unreachable.
    private let checksReachTemporal: Bool

    init(plans: [Plan], checksReachTemporal: Bool) {
        state = Mutex(State(plans: plans))
        self.checksReachTemporal = checksReachTemporal
    }

    var startCalls: Int { state.withLock { $0.startCalls } }

    func open(_ index: Int) { state.withLock { _ = $0.open.insert(index) } }

    func openAll() { state.withLock { $0.open = Set($0.plans.indices) } }

    func start(input: OrderInput, requestId: String) async throws -> StartOutcome {
        let (index, plan) = state.withLock { state -> (Int, Plan) in
            defer { state.startCalls += 1 }
            return (state.startCalls, state.plans[state.startCalls])
        }
        if plan.gated {
            while !state.withLock({ $0.open.contains(index) }) { try await Task.sleep(for: .milliseconds(5)) }
        }
        return try state.withLock { state in
            switch plan.outcome {
            case .fail:
                throw OrderWorkflowGatewayError.unavailable("connection refused (scripted)")
            case .failAfterStarting:
                state.runs[input.orderId] = state.runs[input.orderId] ?? UUID().uuidString
                throw OrderWorkflowGatewayError.unavailable("deadline exceeded (scripted)")
            case .succeed:
                if let run = state.runs[input.orderId] {
                    return StartOutcome(workflowId: input.orderId, runId: run, alreadyExisted: true)
                }
                let run = UUID().uuidString
                state.runs[input.orderId] = run
                return StartOutcome(workflowId: input.orderId, runId: run, alreadyExisted: false)
            }
        }
    }

    func status(orderId: String) async throws -> OrderStatusReport? { nil }

    func cancel(orderId: String, reason: String?) async throws { throw OrderWorkflowGatewayError.notFound }

    func workflowExists(orderId: String) async throws -> Bool {
        guard checksReachTemporal else { throw OrderWorkflowGatewayError.unavailable("connection refused") }
        return state.withLock { $0.runs[orderId] != nil }
    }

    func isReachable() async -> Bool { true }
}

/// The real repository, counting the pending-row writes that have finished.
final class CountingRepository: OrderRepository {
    let base: PostgresOrderRepository
    private let writes = Mutex(0)

    init(base: PostgresOrderRepository) { self.base = base }

    var pendingWrites: Int { writes.withLock { $0 } }

    func recordPendingOrder(orderId: String, customerId: String) async throws -> Bool {
        defer { writes.withLock { $0 += 1 } }
        return try await base.recordPendingOrder(orderId: orderId, customerId: customerId)
    }

    func discardPendingOrder(orderId: String) async throws { try await base.discardPendingOrder(orderId: orderId) }

    func claimPendingOrder(orderId: String, customerId: String, runId: String, insertIfMissing: Bool) async throws
        -> OrderStatus?
    {
        try await base.claimPendingOrder(
            orderId: orderId, customerId: customerId, runId: runId, insertIfMissing: insertIfMissing)
    }

    func orderSummary(id: String) async throws -> Order? { try await base.orderSummary(id: id) }

    func order(id: String) async throws -> OrderDetail? { try await base.order(id: id) }

    func listOrders(status: OrderStatus?, limit: Int, cursor: String?) async throws -> OrderPage {
        try await base.listOrders(status: status, limit: limit, cursor: cursor)
    }

    func products() async throws -> [Product] { try await base.products() }

    func ping() async throws { try await base.ping() }
}
