import Foundation
import OrderCore
import OrderStatusFeed
import Testing

/// `OrderStatusChange.encoded()` writes by hand what Foundation's JSONEncoder wrote before it, and what the API
/// relays and the web page reads.
@Suite("Order status change JSON")
struct OrderStatusChangeCodingTests {
    /// The encoder `encoded()` replaced.
    private static func foundationBytes(_ change: OrderStatusChange) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(change))
    }

    static let changes: [OrderStatusChange] = {
        let at = Date(timeIntervalSince1970: 1_733_500_000.123)
        var changes = [
            OrderStatusChange(orderId: "ord-1", status: .created, updatedAt: at),
            OrderStatusChange(orderId: "ord-2", status: .paymentProcessed, step: "ProcessPayment", updatedAt: at),
            OrderStatusChange(
                orderId: "ord-3", status: .failed, step: "CheckInventory",
                failureReason: #"Insufficient "stock" for PROD-001 \ a/b; café ☕"#, updatedAt: at),
            OrderStatusChange(orderId: "ord/4", status: .cancelled, failureReason: "", updatedAt: at),
        ]
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        changes.append(OrderStatusChange(orderId: "ord-5", status: .failed, failureReason: controls, updatedAt: at))
        return changes
    }()

    @Test("the bytes are JSONEncoder's, and decode back to the change", arguments: changes)
    func sameBytesAsFoundation(change: OrderStatusChange) throws {
        let ours = change.encoded()
        #expect(
            String(decoding: ours, as: UTF8.self) == String(decoding: try Self.foundationBytes(change), as: UTF8.self))
        let back = try OrderStatusChange.decode(ours)
        #expect(back.orderId == change.orderId && back.status == change.status && back.step == change.step)
        #expect(back.failureReason == change.failureReason)
        #expect(abs(back.updatedAt.timeIntervalSince(change.updatedAt)) < 0.001)
    }
}
