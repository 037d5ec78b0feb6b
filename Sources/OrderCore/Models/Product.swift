/// A catalog entry; its price is authoritative for order totals.
public struct Product: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var price: Money
    public var stock: Int

    public init(id: String, name: String, price: Money, stock: Int) {
        self.id = id
        self.name = name
        self.price = price
        self.stock = stock
    }
}
