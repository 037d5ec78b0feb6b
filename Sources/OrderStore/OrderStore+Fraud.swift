import OrderCore

/// What the fraud screen reads: a customer's recent orders.
public struct CustomerVelocity: Sendable, Equatable {
    /// Orders of the customer placed within the window up to this one, this one included; orders
    /// that failed or were cancelled (or never got past `pending`) do not count.
    public var orders: Int
    /// Their total.
    public var amount: Money

    public init(orders: Int, amount: Money) {
        self.orders = orders
        self.amount = amount
    }
}

extension OrderStore {
    /// The velocity of `orderId`'s customer within `windowSeconds` before the order was placed
    /// (its `created_at`). Orders placed after it never count, so a retried screen decides the same.
    public func customerVelocity(orderId: String, windowSeconds: Int) async throws -> CustomerVelocity {
        let row = try await pool.query(
            """
            SELECT count(*) AS orders, coalesce(sum(o.total), 0)::numeric(14,2) AS amount
              FROM orders this
              JOIN orders o ON o.customer_id = this.customer_id
             WHERE this.id = $1
               AND o.created_at <= this.created_at
               AND o.created_at > this.created_at - $2::int * interval '1 second'
               AND (o.id = this.id OR o.status IN ('created', 'inventory_reserved', 'payment_processed', 'completed'))
            """, [.string(orderId), .int(windowSeconds)]
        ).first
        guard let row else { return CustomerVelocity(orders: 0, amount: .zero) }
        return CustomerVelocity(orders: try row.int("orders"), amount: try row.money("amount"))
    }
}
