import Foundation
import OrderCore

/// One order status change as the worker publishes it and the API relays it:
/// `{"order_id", "status", "step"?, "failure_reason"?, "updated_at"}`.
public struct OrderStatusChange: Codable, Sendable, Equatable {
    public var orderId: String
    public var status: OrderStatus
    /// The workflow step (activity) that made the change, e.g. `CheckInventory`.
    public var step: String?
    public var failureReason: String?
    public var updatedAt: Date

    public init(
        orderId: String, status: OrderStatus, step: String? = nil, failureReason: String? = nil, updatedAt: Date
    ) {
        self.orderId = orderId
        self.status = status
        self.step = step
        self.failureReason = failureReason
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", status, step, failureReason = "failure_reason", updatedAt = "updated_at"
    }

    /// The Redis channel every change is published on.
    public static let channel = "orderflow:order-status"

    public func encoded() -> [UInt8] {
        // Encoding plain strings and a date cannot fail.
        Array((try? Self.encoder.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) throws -> OrderStatusChange {
        try decoder.decode(OrderStatusChange.self, from: Data(bytes))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            return try Date.ISO8601FormatStyle().parse(text)
        }
        return decoder
    }()
}
