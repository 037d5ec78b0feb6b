import Foundation
import OrderCore
import OrderStore

/// The part of the order database the API reads and writes. The concrete adapter is
/// `PostgresOrderRepository` (over `OrderStore`); tests use fakes. The read types are
/// OrderCore's (`OrderDetail`, `Order`, `Product`); the cursor is the opaque string the API hands out.
public protocol OrderRepository: Sendable {
    /// Inserts a `pending` row (workflow id = order id) unless the order is known; true when it inserted one.
    func recordPendingOrder(orderId: String, customerId: String) async throws -> Bool
    /// Removes the row `recordPendingOrder` inserted if no workflow has claimed it (the start was refused).
    func discardPendingOrder(orderId: String) async throws
    /// Records `runId` on a row another request inserted, so that request cannot discard it; with
    /// `insertIfMissing` writes the pending row again if it was discarded already. Returns the stored status.
    func claimPendingOrder(orderId: String, customerId: String, runId: String, insertIfMissing: Bool) async throws
        -> OrderStatus?
    /// The order row alone (status answers, cancel checks): one cheap query.
    func orderSummary(id: String) async throws -> Order?
    /// The order with items, payment, reservations and notifications.
    func order(id: String) async throws -> OrderDetail?
    /// Newest first. `cursor` is the opaque string of a previous page's `next`;
    /// a string that is not a cursor throws `OrderRepositoryError.invalidCursor`.
    func listOrders(status: OrderStatus?, limit: Int, cursor: String?) async throws -> OrderPage
    func products() async throws -> [Product]
    func ping() async throws
}

public enum OrderRepositoryError: Error, Sendable, Equatable {
    case invalidCursor
}

public struct OrderPage: Sendable {
    public var orders: [Order]
    public var nextCursor: String?

    public init(orders: [Order], nextCursor: String?) {
        self.orders = orders
        self.nextCursor = nextCursor
    }
}
