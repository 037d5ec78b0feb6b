import Foundation
import OrderCore
import OrderStore

// The JSON shapes of the API's answers (documented in Public/openapi.yaml). Keys are
// spelled out so the wire format does not depend on the model types' Codable choices.

struct CreateOrderResponse: Encodable {
    let orderId: String
    let workflowId: String
    let runId: String
    let status: String

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", workflowId = "workflow_id", runId = "run_id", status
    }
}

struct OrderStatusResponse: Encodable {
    enum Source: String, Encodable { case workflow, database }

    let orderId: String
    let status: String
    let step: String?
    let attempt: Int?
    let failureReason: String?
    let updatedAt: Date?
    let source: Source

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", status, step, attempt, failureReason = "failure_reason", updatedAt = "updated_at",
            source
    }

    func encode(to encoder: any Encoder) throws {
        // Absent values are written as null: clients can rely on every key being there.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(status, forKey: .status)
        try container.encode(step, forKey: .step)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(failureReason, forKey: .failureReason)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(source, forKey: .source)
    }
}

struct OrderSummaryBody: Encodable {
    let order: Order

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", customerId = "customer_id", status, total, failureReason = "failure_reason"
        case workflowId = "workflow_id", runId = "run_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order.id, forKey: .orderId)
        try container.encode(order.customerId, forKey: .customerId)
        try container.encode(order.status.rawValue, forKey: .status)
        try container.encode(order.total, forKey: .total)
        try container.encode(order.failureReason, forKey: .failureReason)
        try container.encode(order.workflowId, forKey: .workflowId)
        try container.encode(order.runId, forKey: .runId)
        try container.encode(order.createdAt, forKey: .createdAt)
        try container.encode(order.updatedAt, forKey: .updatedAt)
    }
}

struct OrderDetailBody: Encodable {
    let detail: OrderDetail

    enum CodingKeys: String, CodingKey { case items, payment, reservations, notifications }

    struct ItemBody: Encodable {
        let item: OrderItem
        enum CodingKeys: String, CodingKey {
            case productId = "product_id", productName = "product_name", quantity, unitPrice = "unit_price"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(item.productId, forKey: .productId)
            try container.encode(item.productName, forKey: .productName)
            try container.encode(item.quantity, forKey: .quantity)
            try container.encode(item.unitPrice, forKey: .unitPrice)
        }
    }

    struct PaymentBody: Encodable {
        let payment: PaymentRecord
        enum CodingKeys: String, CodingKey {
            case amount, status, transactionId = "transaction_id", createdAt = "created_at", refundedAt = "refunded_at"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(payment.amount, forKey: .amount)
            try container.encode(payment.status, forKey: .status)
            try container.encode(payment.transactionId, forKey: .transactionId)
            try container.encode(payment.createdAt, forKey: .createdAt)
            try container.encode(payment.refundedAt, forKey: .refundedAt)
        }
    }

    struct ReservationBody: Encodable {
        let reservation: InventoryReservation
        enum CodingKeys: String, CodingKey {
            case productId = "product_id", quantity, reservedAt = "reserved_at", releasedAt = "released_at"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reservation.productId, forKey: .productId)
            try container.encode(reservation.quantity, forKey: .quantity)
            try container.encode(reservation.reservedAt, forKey: .reservedAt)
            try container.encode(reservation.releasedAt, forKey: .releasedAt)
        }
    }

    struct NotificationBody: Encodable {
        let notification: NotificationRecord
        enum CodingKeys: String, CodingKey { case id, kind, channel, message, createdAt = "created_at" }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(notification.id, forKey: .id)
            try container.encode(notification.kind, forKey: .kind)
            try container.encode(notification.channel, forKey: .channel)
            try container.encode(notification.message, forKey: .message)
            try container.encode(notification.createdAt, forKey: .createdAt)
        }
    }

    func encode(to encoder: any Encoder) throws {
        // The summary's keys at the top level, then the nested collections; absent values
        // (no payment yet, not refunded, not released) are written as null, never left out.
        try OrderSummaryBody(order: detail.order).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(detail.items.map(ItemBody.init), forKey: .items)
        try container.encode(detail.payment.map(PaymentBody.init), forKey: .payment)
        try container.encode(detail.reservations.map(ReservationBody.init), forKey: .reservations)
        try container.encode(detail.notifications.map(NotificationBody.init), forKey: .notifications)
    }
}

struct OrderListResponse: Encodable {
    let orders: [OrderSummaryBody]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey { case orders, nextCursor = "next_cursor" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orders, forKey: .orders)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

struct ProductListResponse: Encodable {
    struct ProductBody: Encodable {
        let product: Product
        enum CodingKeys: String, CodingKey { case id, name, price, stock }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(product.id, forKey: .id)
            try container.encode(product.name, forKey: .name)
            try container.encode(product.price, forKey: .price)
            try container.encode(product.stock, forKey: .stock)
        }
    }

    let products: [ProductBody]
}

struct CancelOrderResponse: Encodable {
    let orderId: String
    let status: String
    enum CodingKeys: String, CodingKey { case orderId = "order_id", status }
}
