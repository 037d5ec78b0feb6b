/// The OrderWorkflow input: `{"order_id", "customer_id", "items": [...]}` as a `json/plain` payload.
public struct OrderInput: Sendable, Codable, Hashable {
    public var orderId: String
    public var customerId: String
    public var items: [OrderItem]

    public init(orderId: String, customerId: String, items: [OrderItem]) {
        self.orderId = orderId
        self.customerId = customerId
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case customerId = "customer_id"
        case items
    }
}
