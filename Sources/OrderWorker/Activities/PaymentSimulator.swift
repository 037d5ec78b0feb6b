import OrderCore

/// Stands in for a payment provider, as docs/workflow.md describes: declines totals above
/// `PAYMENT_MAX_AMOUNT`, fails a configurable share of attempts transiently, and takes
/// `PAYMENT_DELAY_MS` per attempt. The transaction id is derived from the order id, so every
/// retry of one order's payment names the same transaction.
struct PaymentSimulator: Sendable {
    let settings: PaymentSettings
    /// Uniform in 0..<1; injected so tests can force or forbid transient failures.
    let random: @Sendable () -> Double

    init(settings: PaymentSettings, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.settings = settings
        self.random = random
    }

    /// Charges `amount` for `orderId`, returning the transaction id.
    func charge(orderId: String, amount: Money) async throws(PaymentError) -> String {
        guard amount <= settings.maxAmount else {
            throw .declined("payment of \(amount) declined: above the limit of \(settings.maxAmount)")
        }
        if settings.delay > .zero {
            do { try await Task.sleep(for: settings.delay) } catch { throw .interrupted }
        }
        // `<` so a rate of 0.0 never fails and 1.0 always does.
        if settings.failureRate > 0, random() < settings.failureRate {
            throw .unavailable("payment provider temporarily unavailable (simulated)")
        }
        return Self.transactionId(orderId: orderId)
    }

    /// `txn-` and the first 16 hex digits of SHA-256 of the order id.
    static func transactionId(orderId: String) -> String {
        "txn-" + SHA256.hexDigest(orderId).prefix(16)
    }
}

/// Why a simulated payment did not go through.
enum PaymentError: Error, Sendable, Equatable {
    /// The amount is over the limit: a business failure, never retried.
    case declined(String)
    /// A transient provider failure: retried by the activity's retry policy.
    case unavailable(String)
    /// The activity was cancelled while the payment was in flight.
    case interrupted

    var isDeclined: Bool {
        if case .declined = self { return true }
        return false
    }
}
