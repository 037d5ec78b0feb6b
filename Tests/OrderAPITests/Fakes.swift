import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OrderCore
import OrderStore
import PostgresClient

@testable import OrderAPI

/// A Temporal stand-in: one "workflow" per id, started atomically (like Temporal's
/// workflow-id uniqueness), with a scripted live status and a switch to be unreachable.
actor FakeWorkflowGateway: OrderWorkflowGateway {
    struct Workflow {
        var runId: String
        var input: OrderInput
        var snapshot: OrderStatusReport?
    }

    private(set) var workflows: [String: Workflow] = [:]
    private(set) var startCalls = 0
    private(set) var newStarts = 0
    private(set) var cancels: [(orderId: String, reason: String?)] = []
    var unavailable = false
    /// Only queries fail (e.g. no worker polls the task queue): signals still get through.
    var queriesTimeOut = false

    func setQueriesTimeOut(_ value: Bool) { queriesTimeOut = value }

    func setUnavailable(_ value: Bool) { unavailable = value }

    func setSnapshot(_ orderId: String, _ snapshot: OrderStatusReport?) {
        workflows[
            orderId,
            default: Workflow(runId: "run-\(orderId)", input: OrderInput(orderId: orderId, customerId: "c", items: []))
        ].snapshot = snapshot
    }

    func start(input: OrderInput, requestId: String) async throws -> StartOutcome {
        startCalls += 1
        if unavailable { throw OrderWorkflowGatewayError.unavailable("connection refused") }
        if let existing = workflows[input.orderId] {
            return StartOutcome(workflowId: input.orderId, runId: existing.runId, alreadyExisted: true)
        }
        newStarts += 1
        let runId = UUID().uuidString
        workflows[input.orderId] = Workflow(
            runId: runId, input: input,
            snapshot: OrderStatusReport(
                orderId: input.orderId, status: .pending, step: "CreateOrder", attempt: 1, failureReason: nil)
        )
        return StartOutcome(workflowId: input.orderId, runId: runId, alreadyExisted: false)
    }

    func status(orderId: String) async throws -> OrderStatusReport? {
        if unavailable || queriesTimeOut { throw OrderWorkflowGatewayError.unavailable("connection refused") }
        return workflows[orderId]?.snapshot
    }

    /// Runs while the signal is on its way (e.g. the order finishing meanwhile); with `closes` the workflow
    /// then closes before the signal arrives, which finds no running workflow.
    private var duringCancel: (@Sendable () async -> Void)?
    private var closesDuringCancel = false

    func setDuringCancel(closes: Bool, _ hook: @escaping @Sendable () async -> Void) {
        duringCancel = hook
        closesDuringCancel = closes
    }

    func cancel(orderId: String, reason: String?) async throws {
        if unavailable { throw OrderWorkflowGatewayError.unavailable("connection refused") }
        if let duringCancel { await duringCancel() }
        if closesDuringCancel { workflows[orderId]?.snapshot = nil }
        guard workflows[orderId]?.snapshot != nil else { throw OrderWorkflowGatewayError.notFound }
        cancels.append((orderId, reason))
    }

    func workflowExists(orderId: String) async throws -> Bool {
        if unavailable { throw OrderWorkflowGatewayError.unavailable("connection refused") }
        return workflows[orderId] != nil
    }

    func isReachable() async -> Bool { !unavailable }
}

/// The order database stand-in: newest-first listing with offset cursors `o<n>`.
actor FakeOrderRepository: OrderRepository {
    private(set) var records: [String: OrderDetail] = [:]
    private(set) var acceptedCalls: [String] = []
    var down = false
    var catalog: [Product] = [
        Product(id: "PROD-001", name: "Laptop Dell XPS 13", price: Money(cents: 129_999), stock: 100),
        Product(id: "PROD-005", name: "Gaming Mouse", price: Money(cents: 8_999), stock: 7),
    ]

    func setDown(_ value: Bool) { down = value }

    static let databaseDown = PostgresError(
        kind: .connection, message: "connection to server at localhost:5432 refused")

    func insert(_ record: OrderDetail) { records[record.order.id] = record }

    func setStatus(_ id: String, _ status: OrderStatus) { records[id]?.order.status = status }

    func recordPendingOrder(orderId: String, customerId: String) async throws -> Bool {
        if down { throw Self.databaseDown }
        acceptedCalls.append(orderId)
        guard records[orderId] == nil else { return false }
        let now = Date()
        records[orderId] = OrderDetail(
            order: Order(
                id: orderId, customerId: customerId, status: .pending, workflowId: orderId, runId: nil,
                createdAt: now, updatedAt: now),
            items: [], payment: nil, reservations: [], notifications: []
        )
        return true
    }

    func discardPendingOrder(orderId: String) async throws {
        if down { throw Self.databaseDown }
        if let order = records[orderId]?.order, order.status == .pending, order.runId == nil {
            records[orderId] = nil
        }
    }

    func claimPendingOrder(orderId: String, customerId: String, runId: String, insertIfMissing: Bool) async throws
        -> OrderStatus?
    {
        if down { throw Self.databaseDown }
        if records[orderId] == nil, insertIfMissing {
            _ = try await recordPendingOrder(orderId: orderId, customerId: customerId)
        }
        guard var record = records[orderId] else { return nil }
        if record.order.runId == nil { record.order.runId = runId }
        records[orderId] = record
        return record.order.status
    }

    private(set) var summaryReads = 0
    private(set) var detailReads = 0

    func orderSummary(id: String) async throws -> Order? {
        if down { throw Self.databaseDown }
        summaryReads += 1
        return records[id]?.order
    }

    func order(id: String) async throws -> OrderDetail? {
        if down { throw Self.databaseDown }
        detailReads += 1
        return records[id]
    }

    private(set) var lastListQuery: (status: OrderStatus?, limit: Int, cursor: String?)?

    func listOrders(status: OrderStatus?, limit: Int, cursor: String?) async throws -> OrderPage {
        if down { throw Self.databaseDown }
        lastListQuery = (status, limit, cursor)
        var offset = 0
        if let cursor {
            guard cursor.hasPrefix("o"), let value = Int(cursor.dropFirst()) else {
                throw OrderRepositoryError.invalidCursor
            }
            offset = value
        }
        let all = records.values.map(\.order)
            .filter { status == nil || $0.status == status }
            .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        let page = Array(all.dropFirst(offset).prefix(limit))
        let next = offset + page.count < all.count ? "o\(offset + page.count)" : nil
        return OrderPage(orders: page, nextCursor: next)
    }

    func products() async throws -> [Product] {
        if down { throw Self.databaseDown }
        return catalog
    }

    func ping() async throws {
        if down { throw Self.databaseDown }
    }
}
