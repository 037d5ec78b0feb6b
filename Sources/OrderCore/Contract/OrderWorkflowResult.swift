/// What the workflow completes with: `{"order_id", "status": "completed", "total",
/// "transaction_id"}` on success, `{"order_id", "status": "cancelled", "reason", ...}` after a
/// `cancelOrder` signal.
public struct OrderWorkflowResult: Codable, Sendable, Hashable {
    public var orderId: String
    public var status: OrderStatus
    public var total: Money?
    public var transactionId: String?
    public var reason: String?
    /// For a cancelled order: whether a payment was refunded and stock given back.
    public var refunded: Bool?
    public var inventoryReleased: Bool?

    public init(
        orderId: String, status: OrderStatus, total: Money? = nil, transactionId: String? = nil, reason: String? = nil,
        refunded: Bool? = nil, inventoryReleased: Bool? = nil
    ) {
        self.orderId = orderId
        self.status = status
        self.total = total
        self.transactionId = transactionId
        self.reason = reason
        self.refunded = refunded
        self.inventoryReleased = inventoryReleased
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status, total
        case transactionId = "transaction_id"
        case reason, refunded
        case inventoryReleased = "inventory_released"
    }

    public static func completed(orderId: String, total: Money, transactionId: String) -> Self {
        Self(orderId: orderId, status: .completed, total: total, transactionId: transactionId)
    }

    public static func cancelled(orderId: String, reason: String, refunded: Bool, inventoryReleased: Bool) -> Self {
        Self(
            orderId: orderId, status: .cancelled, reason: reason, refunded: refunded,
            inventoryReleased: inventoryReleased)
    }
}
