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
    /// (the worker publishes four per order), this about a quarter of that. The bytes are what JSONEncoder wrote with
    /// `.sortedKeys` and `.withoutEscapingSlashes`: keys in order, absent fields left out
    /// (`OrderStatusChangeCodingTests` compares the two).
    public func encoded() -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(192)
        json.append(UInt8(ascii: "{"))
        if let failureReason { Self.append("failure_reason", failureReason, to: &json) }
        Self.append("order_id", orderId, to: &json)
        Self.append("status", status.rawValue, to: &json)
        if let step { Self.append("step", step, to: &json) }
        Self.append("updated_at", Self.timestamp.format(updatedAt), to: &json, last: true)
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Appends `"key":"value"` and a comma unless `last`, the value escaped as JSONEncoder escapes a string.
    private static func append(_ key: StaticString, _ value: String, to json: inout [UInt8], last: Bool = false) {
        json.append(UInt8(ascii: "\""))
        json.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        json.append(contentsOf: #"":""#.utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): json.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): json.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): json.append(contentsOf: #"\t"#.utf8)
            case 0x08: json.append(contentsOf: #"\b"#.utf8)
            case 0x0C: json.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20: json.append(contentsOf: String(format: #"\u%04x"#, byte).utf8)
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
        if !last { json.append(UInt8(ascii: ",")) }
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
