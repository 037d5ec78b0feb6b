import OrderCore

/// The workflow input of docs/workflow.md (`{"order_id", "customer_id", "items": [...]}`).
/// `order_id` may be left out by a hand-started workflow; the workflow ID is then the order ID,
/// as the contract says they are the same.
struct OrderWorkflowInput: Codable, Sendable, Hashable {
    var orderId: String?
    var customerId: String
    var items: [OrderItem]

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case customerId = "customer_id"
        case items
    }

    init(orderId: String?, customerId: String, items: [OrderItem]) {
        self.orderId = orderId
        self.customerId = customerId
        self.items = items
    }

    init(_ input: OrderInput) {
        self.init(orderId: input.orderId, customerId: input.customerId, items: input.items)
    }

    func order(workflowId: String) -> OrderInput {
        let id = orderId.flatMap { $0.isEmpty ? nil : $0 } ?? workflowId
        return OrderInput(orderId: id, customerId: customerId, items: items)
    }
}
