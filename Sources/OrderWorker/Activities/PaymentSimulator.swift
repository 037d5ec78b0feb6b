import Crypto
import OrderCore
import OrderStore

/// Stands in for a payment provider, as docs/workflow.md describes: declines totals above `PAYMENT_MAX_AMOUNT`, fails a
/// configurable share of attempts transiently, and takes `PAYMENT_DELAY_MS` per request. Like a real provider
/// it keeps its own durable ledger keyed by the idempotency key each request carries (`PaymentProviderLedger`),
/// so a charge repeated with the same key, however late, returns the first charge instead of charging again.
struct PaymentSimulator: Sendable {
    let settings: PaymentSettings
    let ledger: PaymentProviderLedger
    /// Uniform in 0..<1; injected so tests can force or forbid transient failures.
    let random: @Sendable () -> Double
    /// What the provider does with one charge request before it books it: `PAYMENT_DELAY_MS` of waiting, or what a
    /// test injects to hold one request past its attempt's timeout while the next goes through.
    let processing: @Sendable () async -> Void

    init(
        settings: PaymentSettings, ledger: PaymentProviderLedger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        processing: (@Sendable () async -> Void)? = nil
    ) {
        self.settings = settings
        self.ledger = ledger
        self.random = random
        let delay = settings.delay
        self.processing =
            processing ?? {
                if delay > .zero { try? await Task.sleep(for: delay) }
            }
    }

    /// Charges `amount` under `idempotencyKey` and returns the provider's transaction id (the key: one charge per
    /// key). A key charged before answers with that charge; a key voided by a refund is refused (`.voided`).
    ///
    /// Once sent, a request is the provider's: it is processed to its end even if the caller gives up (as an HTTP
    /// request already on the wire is), and the caller waits for its answer. So an attempt that outlives its
    /// start-to-close still books its charge late, and the ledger's key is what keeps that from charging twice.
    func charge(idempotencyKey: String, amount: Money) async throws -> String {
        guard !Task.isCancelled else { throw PaymentError.interrupted }
        let settings = settings
        let ledger = ledger
        let processing = processing
        let failed = settings.failureRate > 0 && random() < settings.failureRate  // `<`: 0.0 never, 1.0 always
        let request = Task.detached { () async throws -> PaymentProviderLedger.Entry in
            guard amount <= settings.maxAmount else {
                throw PaymentError.declined("payment of \(amount) declined: above the limit of \(settings.maxAmount)")
            }
            await processing()
            if failed { throw PaymentError.unavailable("payment provider temporarily unavailable (simulated)") }
            return try await ledger.charge(idempotencyKey: idempotencyKey, amount: amount)
        }
        let entry = try await request.value
        guard entry.status != .voided else {
            throw PaymentError.voided(
                "payment \(idempotencyKey) was cancelled (refunded before it was charged); nothing was charged")
        }
        return entry.idempotencyKey
    }

    /// Refunds what was charged under `idempotencyKey`, once; voids the key when nothing was charged yet.
    func refund(idempotencyKey: String) async throws -> PaymentProviderLedger.Refund {
        try await ledger.refund(idempotencyKey: idempotencyKey)
    }

    /// The idempotency key (and transaction id) of an order's payment: `txn-` and the first 16 hex digits of
    /// SHA-256 of the order id, so every attempt of one order's payment names the same transaction.
    static func transactionId(orderId: String) -> String {
        "txn-" + SHA256.hash(data: Array(orderId.utf8)).prefix(8).map(Self.hexDigits).joined()
    }

    /// Two lowercase hex digits.
    private static func hexDigits(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
    }
}

/// Why a simulated payment did not go through.
enum PaymentError: Error, Sendable, Equatable {
    /// The amount is over the limit: a business failure, never retried.
    case declined(String)
    /// A transient provider failure: retried by the activity's retry policy.
    case unavailable(String)
    /// The key was refunded before any charge: the order was compensated while this attempt was late.
    case voided(String)
    /// The activity was cancelled before the request went to the provider.
    case interrupted

    var isDeclined: Bool {
        if case .declined = self { return true }
        return false
    }
}
