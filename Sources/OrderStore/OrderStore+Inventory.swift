import OrderCore

/// Stock reservations: taken all-or-nothing, given back exactly once.
extension OrderStore {
    /// The CheckInventory step: takes stock for every item of the order atomically (a conditional
    /// `UPDATE ... WHERE stock >= quantity` per product, in product-id order so concurrent orders
    /// cannot deadlock, writing the reservation in the same statement) and moves the order to
    /// `inventory_reserved`. Any shortfall rolls everything back and throws `InsufficientInventory`. If
    /// the order already holds reservations (a retry), nothing happens.
    public func reserveInventory(orderId: String) async throws {
        try await pool.withSynchronousTransaction { transaction in
            let order = try lockExistingOrder(orderId, in: transaction)
            // The items, and whether an earlier attempt reserved them already, in one round trip (reservations
            // exist only for items, so an order without items has none).
            let items = try transaction.query(
                """
                SELECT product_id, quantity,
                       EXISTS (SELECT 1 FROM inventory_reservations WHERE order_id = $1) AS reserved
                  FROM order_items WHERE order_id = $1 ORDER BY product_id
                """, [.string(orderId)])
            if try items.first?.bool("reserved") == true { return }
            let next = try order.status.transitioned(to: .inventoryReserved)
            guard !items.isEmpty else {
                throw OrderBusinessError(type: .invalidOrder, message: "order \(orderId) has no items to reserve")
            }
            var shortfalls: [String] = []
            for item in items {
                let productId = try item.string("product_id")
                let quantity = try item.int("quantity")
                // The stock taken and its reservation written by one statement: 1 row when the stock sufficed.
                let taken = try transaction.execute(
                    """
                    WITH taken AS (
                        UPDATE products SET stock = stock - $3::integer WHERE id = $2 AND stock >= $3::integer
                        RETURNING id
                    )
                    INSERT INTO inventory_reservations (order_id, product_id, quantity)
                    SELECT $1::text, id, $3::integer FROM taken
                    """, [.string(orderId), .string(productId), .int(quantity)])
                if taken == 0 {
                    let stock = try transaction.query(
                        "SELECT stock FROM products WHERE id = $1", [.string(productId)])
                    let available = try stock.first?.int("stock") ?? 0
                    shortfalls.append("\(productId) (requested \(quantity), available \(available))")
                }
            }
            if !shortfalls.isEmpty {
                // Thrown inside the transaction: the stock already taken for other items is rolled back.
                throw OrderBusinessError(
                    type: .insufficientInventory,
                    message: "insufficient stock for \(shortfalls.joined(separator: ", "))")
            }
            try commitStatus(orderId, next, in: transaction)
        }
    }

    /// The ReleaseInventory compensation: gives back the stock of every reservation of the
    /// order not yet released and marks it released, so a second call gives back nothing.
    /// Leaves the order status alone (the workflow then fails or cancels the order).
    /// Returns how many reservations were released by this call.
    @discardableResult
    public func releaseInventory(orderId: String) async throws -> Int {
        try await pool.withSynchronousTransaction { transaction in
            guard try lockOrder(orderId, in: transaction) != nil else { return 0 }
            let reservations = try transaction.query(
                """
                SELECT product_id, quantity FROM inventory_reservations
                 WHERE order_id = $1 AND released_at IS NULL
                 ORDER BY product_id
                   FOR UPDATE
                """, [.string(orderId)])
            for reservation in reservations {
                let productId = try reservation.string("product_id")
                try transaction.execute(
                    "UPDATE products SET stock = stock + $2 WHERE id = $1",
                    [.string(productId), .int(try reservation.int("quantity"))])
                try transaction.execute(
                    "UPDATE inventory_reservations SET released_at = now() WHERE order_id = $1 AND product_id = $2",
                    [.string(orderId), .string(productId)])
            }
            if !reservations.isEmpty {
                try transaction.execute("UPDATE orders SET updated_at = now() WHERE id = $1", [.string(orderId)])
            }
            return reservations.count
        }
    }
}
