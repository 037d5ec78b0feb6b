import OrderCore
import PostgresClient

/// Payments: at most one per order (its primary key), refunded at most once, each preceded by its intent.
extension OrderStore {
    /// What `beginPayment` found.
    public enum PaymentStart: Sendable, Equatable {
        /// The order is paid already (a retry): nothing is to be charged.
        case alreadyPaid(transactionId: String)
        /// The intent is on record (now or by an earlier attempt): the provider may be asked, with its key.
        case intentRecorded
    }

    /// The first half of ProcessPayment, before the provider is called: records the payment intent under
    /// `idempotencyKey` (the order's deterministic transaction id) unless the order is paid already. An order
    /// that is no longer waiting for its payment (cancelled, failed) throws `OrderStatusError` and is never charged.
    public func beginPayment(orderId: String, amount: Money, idempotencyKey: String) async throws -> PaymentStart {
        try await pool.withSynchronousTransaction { transaction in
            let order = try lockExistingOrder(orderId, in: transaction)
            if let existing = try paymentTransactionId(orderId, in: transaction) {
                return .alreadyPaid(transactionId: existing)
            }
            _ = try order.status.transitioned(to: .paymentProcessed)
            try transaction.executeAndCommit(
                """
                INSERT INTO payment_intents (order_id, idempotency_key, amount) VALUES ($1, $2, $3)
                ON CONFLICT (order_id) DO NOTHING
                """, [.string(orderId), .string(idempotencyKey), .money(amount)])
            return .intentRecorded
        }
    }

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
            try commitStatus(orderId, next, in: transaction)
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
