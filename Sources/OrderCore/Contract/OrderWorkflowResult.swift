import OrderCore

/// What the workflow completes with: `{"order_id", "status": "completed", "total",
/// "transaction_id"}` on success, `{"order_id", "status": "cancelled", "reason", ...}` after a
/// `cancelOrder` signal.
struct OrderWorkflowResult: Codable, Sendable, Hashable {
    var orderId: String
    var status: OrderStatus
    var total: Money?
    var transactionId: String?
    var reason: String?
    /// For a cancelled order: whether a payment was refunded and stock given back.
    var refunded: Bool?
    var inventoryReleased: Bool?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status, total
        case transactionId = "transaction_id"
        case reason, refunded
        case inventoryReleased = "inventory_released"
    }

    static func completed(orderId: String, total: Money, transactionId: String) -> Self {
        Self(orderId: orderId, status: .completed, total: total, transactionId: transactionId)
    }

    static func cancelled(orderId: String, reason: String, refunded: Bool, inventoryReleased: Bool) -> Self {
        Self(
            orderId: orderId, status: .cancelled, reason: reason, refunded: refunded,
            inventoryReleased: inventoryReleased)
    }
}
