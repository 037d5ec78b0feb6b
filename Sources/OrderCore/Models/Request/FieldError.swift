/// One invalid request field: `field` is a path such as `customer_id`, `items` or
/// `items[2].quantity`; `message` says what is wrong in words a client developer can act on.
public struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
