import Foundation
import OrderCore

/// Position in the newest-first order list: the last order shown, by (created_at, id).
/// Travels as an opaque base64url string (`encoded`); a string that is not one we produced is
/// rejected with `OrderCursorError`.
public struct OrderCursor: Sendable, Hashable, CustomStringConvertible {
    /// `created_at` of the last order shown, in microseconds since 1970 (exactly as stored).
    public let createdAtMicroseconds: Int64
    public let orderId: String

    public init(createdAtMicroseconds: Int64, orderId: String) {
        self.createdAtMicroseconds = createdAtMicroseconds
        self.orderId = orderId
    }

    private static let versionTag = "v1"

    /// Parses a cursor produced by `encoded`.
    public init(encoded text: String) throws(OrderCursorError) {
        guard !text.isEmpty, text.count <= 512 else { throw .invalid }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard base64.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }) else {
            throw .invalid
        }
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            throw .invalid
        }
        let parts = decoded.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.versionTag, let micros = Int64(parts[1]), !parts[2].isEmpty else {
            throw .invalid
        }
        self.init(createdAtMicroseconds: micros, orderId: String(parts[2]))
    }

    /// The opaque base64url form (no padding).
    public var encoded: String {
        Data("\(Self.versionTag)|\(createdAtMicroseconds)|\(orderId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public var description: String { encoded }
}

public enum OrderCursorError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid

    public var description: String { "cursor is not one returned by this API" }
}
