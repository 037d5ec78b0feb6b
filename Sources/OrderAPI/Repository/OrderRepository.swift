import Foundation
import OrderCore

/// The part of the order database the API reads and writes. The concrete adapter is
/// `PostgresOrderRepository` (over `OrderStore`); tests use fakes. The view types are the
/// API's own so handlers do not depend on the store's internals.
public protocol OrderRepository: Sendable {
    /// Inserts a `pending` order row if absent; fills workflow/run ids if they are missing.
    func recordAcceptedOrder(orderId: String, customerId: String, workflowId: String, runId: String) async throws
    func order(id: String) async throws -> OrderRecord?
    /// Newest first. `cursor` is the opaque string of a previous page's `next`;
    /// a string that is not a cursor throws `OrderRepositoryError.invalidCursor`.
    func listOrders(status: OrderStatus?, limit: Int, cursor: String?) async throws -> OrderPage
    func products() async throws -> [Product]
    func ping() async throws
}

public enum OrderRepositoryError: Error, Sendable, Equatable {
    case invalidCursor
}

/// An order with everything the detail view shows.
public struct OrderRecord: Sendable {
    public var order: Order
    public var items: [OrderItem]
    public var payment: PaymentRecord?
    public var notifications: [NotificationRecord]

    public init(order: Order, items: [OrderItem] = [], payment: PaymentRecord? = nil, notifications: [NotificationRecord] = []) {
        self.order = order
        self.items = items
        self.payment = payment
        self.notifications = notifications
    }
}

public struct PaymentRecord: Sendable {
    public var amount: Money
    public var status: String
    public var transactionId: String?
    public var createdAt: Date
    public var refundedAt: Date?

    public init(amount: Money, status: String, transactionId: String?, createdAt: Date, refundedAt: Date?) {
        self.amount = amount
        self.status = status
        self.transactionId = transactionId
        self.createdAt = createdAt
        self.refundedAt = refundedAt
    }
}

public struct NotificationRecord: Sendable {
    public var kind: String
    public var channel: String
    public var message: String
    public var createdAt: Date

    public init(kind: String, channel: String, message: String, createdAt: Date) {
        self.kind = kind
        self.channel = channel
        self.message = message
        self.createdAt = createdAt
    }
}

public struct OrderPage: Sendable {
    public var orders: [Order]
    public var nextCursor: String?

    public init(orders: [Order], nextCursor: String?) {
        self.orders = orders
        self.nextCursor = nextCursor
    }
}
