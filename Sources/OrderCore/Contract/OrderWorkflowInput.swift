/// The workflow input of docs/workflow.md (`{"order_id", "customer_id", "items": [...]}`).
/// `order_id` may be left out by a hand-started workflow; the workflow ID is then the order ID,
/// as the contract says they are the same.
///
/// An item needs only `product_id` and `quantity`: CreateOrder takes names and prices from the
/// catalog, which is authoritative. `product_name` and `unit_price` are carried when they are
/// valid and otherwise left empty (never trusted either way).
public struct OrderWorkflowInput: Codable, Sendable, Hashable {
    public var orderId: String?
    public var customerId: String
    public var items: [OrderItem]

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case customerId = "customer_id"
        case items
    }

    public init(orderId: String?, customerId: String, items: [OrderItem]) {
        self.orderId = orderId
        self.customerId = customerId
        self.items = items
    }

    public init(_ input: OrderInput) {
        self.init(orderId: input.orderId, customerId: input.customerId, items: input.items)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        orderId = try container.decodeIfPresent(String.self, forKey: .orderId)
        customerId = try container.decode(String.self, forKey: .customerId)
        items = try container.decode([Line].self, forKey: .items).map(\.item)
    }

    public func order(workflowId: String) -> OrderInput {
        let id = orderId.flatMap { $0.isEmpty ? nil : $0 } ?? workflowId
        return OrderInput(orderId: id, customerId: customerId, items: items)
    }

    /// One item as a caller may send it: the catalog fills in what is left out.
    private struct Line: Decodable {
        let item: OrderItem

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case productName = "product_name"
            case quantity
            case unitPrice = "unit_price"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            item = OrderItem(
                productId: try container.decode(String.self, forKey: .productId),
                productName: (try? container.decodeIfPresent(String.self, forKey: .productName)) ?? "",
                quantity: try container.decode(Int.self, forKey: .quantity),
                unitPrice: (try? container.decodeIfPresent(Money.self, forKey: .unitPrice)) ?? .zero)
        }
    }
}
