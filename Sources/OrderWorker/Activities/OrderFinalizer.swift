import OrderCore

/// Records an order's final notification and its terminal status in ONE transaction, so a
/// notification never exists without its status (and the other way round), and a retry changes
/// nothing twice: the notification is unique per (order, kind), the status moves at most once.
///
/// OrderStore offers these as two separate transactions; this puts them in one.
struct OrderFinalizer: Sendable {
    let pool: PostgresPool

    /// Returns the order's status afterwards, nil when the order has no row.
    func finish(_ notification: SendNotificationInput) async throws -> OrderStatus? {
        let target = notification.kind.orderStatus
        return try await pool.withTransaction { transaction in
            if target != .completed, let customerId = notification.customerId {
                // Cancelled (or failed) before CreateOrder ran: still leave a row saying so.
                try await transaction.execute(
                    """
                    INSERT INTO orders (id, customer_id, status) VALUES ($1, $2, 'pending')
                    ON CONFLICT (id) DO NOTHING
                    """, [.string(notification.orderId), .string(customerId)])
            }
            let rows = try await transaction.query(
                "SELECT status FROM orders WHERE id = $1 FOR UPDATE", [.string(notification.orderId)])
            var status: OrderStatus?
            if let row = rows.first {
                let text = try row.string("status")
                guard let current = OrderStatus(rawValue: text) else {
                    throw PostgresError(kind: .decoding, message: "unknown order status \"\(text)\"")
                }
                status = current
                if current != target {
                    let next = try current.transitioned(to: target)
                    try await transaction.execute(
                        """
                        UPDATE orders SET status = $2, failure_reason = COALESCE($3, failure_reason), updated_at = now()
                         WHERE id = $1
                        """, [.string(notification.orderId), .string(next.rawValue), .string(notification.reason)])
                    status = next
                }
            }
            try await transaction.execute(
                """
                INSERT INTO notifications (order_id, kind, channel, message) VALUES ($1, $2, $3, $4)
                ON CONFLICT (order_id, kind) DO NOTHING
                """,
                [
                    .string(notification.orderId), .string(notification.kind.rawValue),
                    .string(notification.channel), .string(notification.message),
                ])
            return status
        }
    }
}
