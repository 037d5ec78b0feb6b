import OrderCore
import PostgresClient

/// Read side: one order with everything about it, the paginated order list, the catalog.
extension OrderStore {
    static let orderColumns = """
        id, customer_id, status, total, failure_reason, workflow_id, run_id, created_at, updated_at,
        (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint AS created_at_us
        """

    /// Largest page `listOrders` returns.
    public static let maximumPageSize = 200

    /// The order row alone (cheap; for status answers).
    public func orderSummary(id: String) async throws -> Order? {
        try await pool.query("SELECT \(Self.orderColumns) FROM orders WHERE id = $1", [.string(id)])
            .first.map(Self.order)
    }

    /// The order with items, payment, reservations and notifications (one consistent snapshot).
    public func order(id: String) async throws -> OrderDetail? {
        try await pool.withTransaction { transaction in
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let key: [PostgresBind] = [.string(id)]
            guard
                let row = try await transaction.query("SELECT \(Self.orderColumns) FROM orders WHERE id = $1", key)
                    .first
            else {
                return nil
            }
            let items = try await transaction.query(
                """
                SELECT product_id, product_name, quantity, unit_price FROM order_items
                 WHERE order_id = $1 ORDER BY product_id
                """, key
            ).map(Self.item)
            let payment = try await transaction.query(
                """
                SELECT amount, status, transaction_id, created_at, refunded_at FROM payments WHERE order_id = $1
                """, key
            ).first.map(Self.payment)
            let reservations = try await transaction.query(
                """
                SELECT product_id, quantity, reserved_at, released_at FROM inventory_reservations
                 WHERE order_id = $1 ORDER BY product_id
                """, key
            ).map(Self.reservation)
            let notifications = try await transaction.query(
                """
                SELECT id, kind, channel, message, created_at FROM notifications
                 WHERE order_id = $1 ORDER BY id
                """, key
            ).map(Self.notification)
            return OrderDetail(
                order: try Self.order(row), items: items, payment: payment,
                reservations: reservations, notifications: notifications)
        }
    }

    /// Orders newest first (by created_at, then id), optionally of one status. `limit` is clamped
    /// to 1...`maximumPageSize`. `next` is the cursor of the following page, nil on the last page.
    public func listOrders(status: OrderStatus? = nil, limit: Int, cursor: OrderCursor? = nil) async throws
        -> (orders: [Order], next: OrderCursor?)
    {
        let pageSize = min(max(limit, 1), Self.maximumPageSize)
        let rows = try await pool.query(
            """
            SELECT \(Self.orderColumns) FROM orders
             WHERE ($1::text IS NULL OR status = $1::text)
               AND ($2::bigint IS NULL
                    OR (created_at, id) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::text))
             ORDER BY created_at DESC, id DESC
             LIMIT $4
            """,
            [
                .string(status?.rawValue), .string(cursor.map { String($0.createdAtMicroseconds) }),
                .string(cursor?.orderId), .int(pageSize + 1),
            ])
        let page = rows.prefix(pageSize)
        let orders = try page.map(Self.order)
        var next: OrderCursor?
        if rows.count > pageSize, let last = page.last {
            next = OrderCursor(createdAtMicroseconds: try last.int64("created_at_us"), orderId: try last.string("id"))
        }
        return (orders, next)
    }

    /// The whole catalog by product id.
    public func products() async throws -> [Product] {
        try await pool.query("SELECT id, name, price, stock FROM products ORDER BY id").map(Self.product)
    }

    public func product(id: String) async throws -> Product? {
        try await pool.query("SELECT id, name, price, stock FROM products WHERE id = $1", [.string(id)])
            .first.map(Self.product)
    }
}
