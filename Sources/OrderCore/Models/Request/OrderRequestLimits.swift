/// The create-order limits of docs/api.md (POST /api/orders), in one place so messages and checks agree.
///
/// Lengths count Unicode scalars, which is what PostgreSQL's `varchar(n)` counts.
public enum OrderRequestLimits {
    public static let idLength = 1...64
    public static let productNameLength = 1...200
    public static let itemCount = 1...100
    public static let quantity = 1...1000
    public static let maximumUnitPrice = Money(cents: 100_000_000)  // 1,000,000.00

    /// customer_id: `[A-Za-z0-9_-]`.
    public static func isCustomerIdCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlphanumeric(scalar) || scalar == "_" || scalar == "-"
    }

    /// order_id: `[A-Za-z0-9._-]`.
    public static func isOrderIdCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-"
    }

    /// Free-text fields (product_id, product_name) may hold any text except control characters:
    /// PostgreSQL cannot store NUL, and newlines or escapes in ids only cause trouble downstream.
    public static func isControlCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        default: false
        }
    }
}
