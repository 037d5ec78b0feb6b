import Crypto

/// Maps an `Idempotency-Key` header to an order id, deterministically, so that repeating a
/// request with the same key addresses the same workflow id. Deduplication itself is left
/// to Temporal's workflow-id uniqueness (no check-then-act race in the API). The customer
/// id is part of the hash so two customers choosing the same key never collide.
enum IdempotencyKey {
    static let headerName = "Idempotency-Key"

    /// 1–255 visible ASCII characters (RFC 9110 field value, no spaces at the ends).
    static func validate(_ key: String) -> String? {
        guard !key.isEmpty else { return "must not be empty" }
        guard key.utf8.count <= 255 else { return "must be at most 255 characters" }
        guard key.unicodeScalars.allSatisfy({ (0x21...0x7e).contains($0.value) }) else {
            return "must contain only visible ASCII characters"
        }
        return nil
    }

    /// `idem-` + 40 hex digits of SHA-256(customer_id NUL key): 45 characters, a valid order id.
    static func orderId(key: String, customerId: String) -> String {
        let digest = SHA256.hash(data: Array(customerId.utf8) + [0] + Array(key.utf8))
        return "idem-" + digest.prefix(20).map(hexDigits).joined()
    }

    /// Two lowercase hex digits.
    private static func hexDigits(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
    }
}
