import Logging
import OrderCore
import PostgresClient

/// The order domain's persistence, used by the worker's activities and the API.
///
/// Every operation is ONE transaction that first locks the order row (`SELECT ... FOR UPDATE`),
/// so concurrent or duplicate deliveries of the same step serialize, and is idempotent by its key:
/// calling it again changes nothing twice. Status changes go through `OrderStatus.transitioned(to:)`,
/// so an illegal transition throws `OrderStatusError.illegalTransition`, and always set `updated_at`.
public struct OrderStore: Sendable {
    public let pool: PostgresPool
    let logger: Logger

    public init(pool: PostgresPool, logger: Logger = Logger(label: "orderflow.store")) {
        self.pool = pool
        self.logger = logger
    }

    /// Locks the order row for the rest of the transaction; nil when there is no such order.
    func lockOrder(_ orderId: String, in transaction: PostgresSynchronousTransaction) throws -> LockedOrder? {
        let rows = try transaction.query(
            "SELECT status, total FROM orders WHERE id = $1 FOR UPDATE", [.string(orderId)])
        return try rows.first.map(LockedOrder.init)
    }

    /// Locks the order row or fails with `InvalidOrder` when it does not exist.
    func lockExistingOrder(_ orderId: String, in transaction: PostgresSynchronousTransaction) throws -> LockedOrder {
        guard let order = try lockOrder(orderId, in: transaction) else {
            throw OrderBusinessError(type: .invalidOrder, message: "order \(orderId) does not exist")
        }
        return order
    }

    /// Moves the order to `status` as the transaction's last statement, committing it in the same round trip.
    func commitStatus(_ orderId: String, _ status: OrderStatus, in transaction: PostgresSynchronousTransaction) throws {
        try transaction.executeAndCommit(
            "UPDATE orders SET status = $2, updated_at = now() WHERE id = $1",
            [.string(orderId), .string(status.rawValue)])
    }

    static func status(_ row: PostgresRow, column: String = "status") throws -> OrderStatus {
        let text = try row.string(column)
        guard let status = OrderStatus(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "unknown order status \"\(text)\"")
        }
        return status
    }
}

/// The locked order row's state as an operation sees it.
struct LockedOrder: Sendable {
    var status: OrderStatus
    var total: Money?

    /// From a row with the order's `status` and `total`.
    init(_ row: PostgresRow) throws {
        status = try OrderStore.status(row)
        total = try row.optionalMoney("total")
    }
}
