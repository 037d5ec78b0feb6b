/// A validated create-order request. `orderId` is the client's own id (idempotent creation) or nil.
public struct OrderRequest: Sendable, Equatable {
    public var orderId: String?
    public var customerId: String
    public var items: [OrderItem]

    public init(orderId: String?, customerId: String, items: [OrderItem]) {
        self.orderId = orderId
        self.customerId = customerId
        self.items = items
    }

    /// The workflow input, using the client's order id when given and `generatedId` otherwise.
    public func input(withGeneratedId generatedId: String) -> OrderInput {
        OrderInput(orderId: orderId ?? generatedId, customerId: customerId, items: items)
    }
}
