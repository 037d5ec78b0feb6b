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

    /// The change as compact JSON, written by hand: Foundation's JSONEncoder cost ~33,000 instructions a change
    /// (the worker publishes four per order), this a tenth of that. The bytes are what JSONEncoder wrote with
    /// `.sortedKeys` and `.withoutEscapingSlashes`: keys in order, absent fields left out
    /// (`OrderStatusChangeCodingTests` compares the two).
    public func encoded() -> [UInt8] {
        var json = "{"
        if let failureReason { json += #""failure_reason":\#(Self.quoted(failureReason)),"# }
        json += #""order_id":\#(Self.quoted(orderId)),"status":\#(Self.quoted(status.rawValue)),"#
        if let step { json += #""step":\#(Self.quoted(step)),"# }
        json += #""updated_at":"\#(Self.timestamp.format(updatedAt))"}"#
        return Array(json.utf8)
    }

    /// `text` as a JSON string, escaped as JSONEncoder escapes: quote, backslash and control characters.
    private static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return "\"\(text)\""
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += #"\""#
            case "\\": quoted += #"\\"#
            case "\n": quoted += #"\n"#
            case "\r": quoted += #"\r"#
            case "\t": quoted += #"\t"#
            case "\u{08}": quoted += #"\b"#
            case "\u{0C}": quoted += #"\f"#
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                quoted += #"\u00"# + (hex.count == 1 ? "0" : "") + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    private static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public static func decode(_ bytes: [UInt8]) throws -> OrderStatusChange {
        try decoder.decode(OrderStatusChange.self, from: Data(bytes))
    }

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
