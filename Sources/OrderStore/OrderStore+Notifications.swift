import OrderCore
import PostgresClient

/// Notifications: one row per (order, kind).
extension OrderStore {
    /// The SendNotification step's record. A second call with the same order and kind writes
    /// nothing. Returns true when this call stored the notification. Works for orders without a
    /// row too (a workflow cancelled before CreateOrder still records its cancellation).
    @discardableResult
    public func recordNotification(orderId: String, kind: String, channel: String, message: String) async throws -> Bool
    {
        try await pool.withSynchronousTransaction { transaction in
            try commitNotification(
                orderId: orderId, kind: kind, channel: channel, message: message, in: transaction)
        }
    }

    /// An order's final notification and the terminal status it announces (`completed`, `failed`
    /// or `cancelled`, with `reason` as `failure_reason`) in ONE transaction, so neither exists
    /// without the other; a retry changes nothing twice. When `customerIdIfMissing` is given and the
    /// target is not `completed`, an order cancelled or failed before CreateOrder still gets a row.
    /// Returns the status now stored (nil when the order has no row) and whether this call was the
    /// one that recorded the notification.
    public func finishOrder(
        orderId: String, as target: OrderStatus, reason: String?, customerIdIfMissing: String?,
        notificationKind kind: String, channel: String, message: String
    ) async throws -> FinishedOrder {
        try await pool.withSynchronousTransaction { transaction in
            if target != .completed, let customerId = customerIdIfMissing {
                try transaction.execute(
                    """
                    INSERT INTO orders (id, customer_id, status) VALUES ($1, $2, 'pending')
                    ON CONFLICT (id) DO NOTHING
                    """, [.string(orderId), .string(customerId)])
            }
            let status = try finish(orderId, as: target, reason: reason, in: transaction)
            let recorded = try commitNotification(
                orderId: orderId, kind: kind, channel: channel, message: message, in: transaction)
            return FinishedOrder(status: status, isFirstNotice: recorded)
        }
    }

    /// Records the notification as the transaction's last statement, committing it in the same round trip.
    @discardableResult
    private func commitNotification(
        orderId: String, kind: String, channel: String, message: String, in transaction: PostgresSynchronousTransaction
    ) throws -> Bool {
        try transaction.executeAndCommit(
            """
            INSERT INTO notifications (order_id, kind, channel, message)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (order_id, kind) DO NOTHING
            """, [.string(orderId), .string(kind), .string(channel), .string(message)]) > 0
    }
}
