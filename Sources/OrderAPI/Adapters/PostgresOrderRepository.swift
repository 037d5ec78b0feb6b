import OrderCore
import OrderStore

/// `OrderRepository` over OrderCore's `OrderStore` (PostgreSQL).
struct PostgresOrderRepository: OrderRepository {
    let store: OrderStore

    func recordPendingOrder(orderId: String, customerId: String) async throws -> Bool {
        try await store.recordPendingOrder(orderId: orderId, customerId: customerId)
    }

    func discardPendingOrder(orderId: String) async throws {
        try await store.discardPendingOrder(orderId: orderId)
    }

    func claimPendingOrder(orderId: String, customerId: String, runId: String, insertIfMissing: Bool) async throws
        -> OrderStatus?
    {
        try await store.claimPendingOrder(
            orderId: orderId, customerId: customerId, runId: runId, insertIfMissing: insertIfMissing)
    }

    func orderSummary(id: String) async throws -> Order? {
        try await store.orderSummary(id: id)
    }

    func order(id: String) async throws -> OrderDetail? {
        try await store.order(id: id)
    }

    func listOrders(status: OrderStatus?, limit: Int, cursor: String?) async throws -> OrderPage {
        let decoded: OrderCursor?
        do {
            decoded = try cursor.map { try OrderCursor(encoded: $0) }
        } catch {
            throw OrderRepositoryError.invalidCursor
        }
        let page = try await store.listOrders(status: status, limit: limit, cursor: decoded)
        return OrderPage(orders: page.orders, nextCursor: page.next?.encoded)
    }

    func products() async throws -> [Product] {
        try await store.products()
    }

    func ping() async throws {
        try await store.pool.ping()
    }
}
