/// One line of an order as the client (and the workflow input) states it.
public struct OrderItem: Sendable, Codable, Hashable {
    public var productId: String
    public var productName: String
    public var quantity: Int
    public var unitPrice: Money

    public init(productId: String, productName: String, quantity: Int, unitPrice: Money) {
        self.productId = productId
        self.productName = productName
        self.quantity = quantity
        self.unitPrice = unitPrice
    }

    enum CodingKeys: String, CodingKey {
        case productId = "product_id"
        case productName = "product_name"
        case quantity
        case unitPrice = "unit_price"
    }
}
