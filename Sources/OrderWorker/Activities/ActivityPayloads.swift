import OrderCore

// The JSON payloads of the order activities (json/plain, snake_case keys), shared by the
// workflow that schedules them and the activities that run them.

/// CreateOrder's input: the workflow input plus the execution that owns the order row.
struct CreateOrderInput: Codable, Sendable, Hashable {
    var order: OrderInput
    var workflowId: String
    var runId: String

    enum CodingKeys: String, CodingKey {
        case order
        case workflowId = "workflow_id"
        case runId = "run_id"
    }
}

struct CreateOrderResult: Codable, Sendable, Hashable {
    var orderId: String
    /// Computed from the catalog's prices.
    var total: Money

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case total
    }
}

/// Input of the steps keyed by the order alone: CheckInventory, ReleaseInventory, RefundPayment.
struct OrderReference: Codable, Sendable, Hashable {
    var orderId: String

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
    }
}

struct CheckInventoryResult: Codable, Sendable, Hashable {
    var orderId: String
    var reserved: Bool

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case reserved
    }
}

struct ScreenFraudInput: Codable, Sendable, Hashable {
    var orderId: String
    var customerId: String
    var amount: Money

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case customerId = "customer_id"
        case amount
    }
}

/// What the screen saw: the customer's orders and their total within the window, this one included.
struct ScreenFraudResult: Codable, Sendable, Hashable {
    var orderId: String
    var recentOrders: Int
    var recentAmount: Money

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case recentOrders = "recent_orders"
        case recentAmount = "recent_amount"
    }
}

struct ProcessPaymentInput: Codable, Sendable, Hashable {
    var orderId: String
    var amount: Money

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case amount
    }
}

struct ProcessPaymentResult: Codable, Sendable, Hashable {
    var orderId: String
    var transactionId: String
    var amount: Money

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case transactionId = "transaction_id"
        case amount
    }
}

/// The kinds of notification an order gets; each one also settles the order's final status.
enum NotificationKind: String, Codable, Sendable, CaseIterable {
    case orderCompleted = "order_completed"
    case orderFailed = "order_failed"
    case orderCancelled = "order_cancelled"

    /// The order status recorded together with this notification.
    var orderStatus: OrderStatus {
        switch self {
        case .orderCompleted: .completed
        case .orderFailed: .failed
        case .orderCancelled: .cancelled
        }
    }
}

struct SendNotificationInput: Codable, Sendable, Hashable {
    var orderId: String
    /// Lets a cancellation that comes before CreateOrder still leave an order row behind.
    var customerId: String?
    var kind: NotificationKind
    var channel: String = "email"
    var message: String
    /// Stored as `failure_reason` for failed and cancelled orders.
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case customerId = "customer_id"
        case kind, channel, message, reason
    }
}

struct SendNotificationResult: Codable, Sendable, Hashable {
    var orderId: String
    /// The order status after the notification, nil when there is no order row.
    var status: OrderStatus?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status
    }
}

struct ReleaseInventoryResult: Codable, Sendable, Hashable {
    var orderId: String
    /// Reservations given back by this attempt (0 on a retry).
    var released: Int

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case released
    }
}

struct RefundPaymentResult: Codable, Sendable, Hashable {
    var orderId: String
    /// True when this attempt refunded the payment (false on a retry or without payment).
    var refunded: Bool

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case refunded
    }
}
