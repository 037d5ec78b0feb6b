/// Payments: at most one per order (its primary key), refunded at most once.
extension OrderStore {
    /// The ProcessPayment step's record: stores the payment and moves the order to
    /// `payment_processed`. If the order already has a payment (a retry), returns that payment's
    /// transaction id and writes nothing, so the caller never charges twice.
    public func recordPayment(orderId: String, amount: Money, transactionId: String) async throws -> String {
        try await pool.withSynchronousTransaction { transaction in
            let order = try lockExistingOrder(orderId, in: transaction)
            if let existing = try paymentTransactionId(orderId, in: transaction) { return existing }
            let next = try order.status.transitioned(to: .paymentProcessed)
            try transaction.execute(
                """
                INSERT INTO payments (order_id, amount, status, transaction_id)
                VALUES ($1, $2, 'completed', $3)
                """, [.string(orderId), .money(amount), .string(transactionId)])
            try setStatus(orderId, next, in: transaction)
            return transactionId
        }
    }

    /// The transaction id of the order's payment, if it has one (lets a payment activity check
    /// before calling the payment provider).
    public func paymentTransactionId(orderId: String) async throws -> String? {
        try await pool.query("SELECT transaction_id FROM payments WHERE order_id = $1", [.string(orderId)])
            .first?.string("transaction_id")
    }

    /// The RefundPayment compensation: marks the payment `refunded` once. Returns true when this
    /// call refunded it, false when there is no payment or it was already refunded.
    @discardableResult
    public func refundPayment(orderId: String) async throws -> Bool {
        try await pool.withSynchronousTransaction { transaction in
            guard try lockOrder(orderId, in: transaction) != nil else { return false }
            let refunded = try transaction.execute(
                """
                UPDATE payments SET status = 'refunded', refunded_at = now()
                 WHERE order_id = $1 AND refunded_at IS NULL
                """, [.string(orderId)])
            if refunded > 0 {
                try transaction.execute("UPDATE orders SET updated_at = now() WHERE id = $1", [.string(orderId)])
            }
            return refunded > 0
        }
    }

    private func paymentTransactionId(_ orderId: String, in transaction: PostgresSynchronousTransaction) throws
        -> String?
    {
        try transaction.query("SELECT transaction_id FROM payments WHERE order_id = $1", [.string(orderId)])
            .first?.string("transaction_id")
    }
}
