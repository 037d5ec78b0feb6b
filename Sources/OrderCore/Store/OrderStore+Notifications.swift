/// Notifications: one row per (order, kind).
extension OrderStore {
    /// The SendNotification step's record. A second call with the same order and kind writes
    /// nothing. Returns true when this call stored the notification. Works for orders without a
    /// row too (a workflow cancelled before CreateOrder still records its cancellation).
    @discardableResult
    public func recordNotification(orderId: String, kind: String, channel: String, message: String) async throws -> Bool
    {
        try await pool.withTransaction { transaction in
            try await transaction.execute(
                """
                INSERT INTO notifications (order_id, kind, channel, message)
                VALUES ($1, $2, $3, $4)
                ON CONFLICT (order_id, kind) DO NOTHING
                """, [.string(orderId), .string(kind), .string(channel), .string(message)]) > 0
        }
    }
}
