import Foundation
import OrderCore

/// An order with everything recorded about it, as `OrderStore.order(id:)` reads it.
public struct OrderDetail: Sendable, Codable, Hashable {
    public var order: Order
    public var items: [OrderItem]
    public var payment: PaymentRecord?
    public var reservations: [InventoryReservation]
    public var notifications: [NotificationRecord]

    public init(
        order: Order, items: [OrderItem], payment: PaymentRecord?,
        reservations: [InventoryReservation], notifications: [NotificationRecord]
    ) {
        self.order = order
        self.items = items
        self.payment = payment
        self.reservations = reservations
        self.notifications = notifications
    }
}

/// A row of `payments`. `status` is `completed` or `refunded`.
public struct PaymentRecord: Sendable, Codable, Hashable {
    public var amount: Money
    public var status: String
    public var transactionId: String
    public var createdAt: Date
    public var refundedAt: Date?

    public init(amount: Money, status: String, transactionId: String, createdAt: Date, refundedAt: Date?) {
        self.amount = amount
        self.status = status
        self.transactionId = transactionId
        self.createdAt = createdAt
        self.refundedAt = refundedAt
    }

    enum CodingKeys: String, CodingKey {
        case amount, status
        case transactionId = "transaction_id"
        case createdAt = "created_at"
        case refundedAt = "refunded_at"
    }
}

/// A row of `inventory_reservations`.
public struct InventoryReservation: Sendable, Codable, Hashable {
    public var productId: String
    public var quantity: Int
    public var reservedAt: Date
    public var releasedAt: Date?

    public init(productId: String, quantity: Int, reservedAt: Date, releasedAt: Date?) {
        self.productId = productId
        self.quantity = quantity
        self.reservedAt = reservedAt
        self.releasedAt = releasedAt
    }

    enum CodingKeys: String, CodingKey {
        case productId = "product_id"
        case quantity
        case reservedAt = "reserved_at"
        case releasedAt = "released_at"
    }
}

/// A row of `notifications`.
public struct NotificationRecord: Sendable, Codable, Hashable {
    public var id: Int64
    public var kind: String
    public var channel: String
    public var message: String
    public var createdAt: Date

    public init(id: Int64, kind: String, channel: String, message: String, createdAt: Date) {
        self.id = id
        self.kind = kind
        self.channel = channel
        self.message = message
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, channel, message
        case createdAt = "created_at"
    }
}
