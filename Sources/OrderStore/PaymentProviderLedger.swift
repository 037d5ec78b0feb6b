import OrderCore
import PostgresClient

/// The books of the simulated payment provider (`provider_charges`), kept the way Stripe-style providers keep
/// theirs: by the idempotency key the merchant sends with each request. A charge repeated with a known key
/// answers with the first charge and moves no money; a refund returns the money once; a refund of a key that
/// was never charged voids the key, so a charge that arrives afterwards (an attempt that outlived its timeout)
/// is refused. Durable like a real provider's ledger; it shares the database but nothing else with the orders.
public struct PaymentProviderLedger: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// One idempotency key's entry.
    public struct Entry: Sendable, Equatable {
        public enum Status: String, Sendable {
            case charged, refunded, voided
        }

        public var idempotencyKey: String
        public var amount: Money
        public var status: Status
        /// Charge requests that named this key so far, replays included (0 for a key voided and never charged).
        public var chargeRequests: Int

        /// True when the charge request just made created the entry; false when it was answered from an earlier one.
        public var isNew: Bool { status == .charged && chargeRequests == 1 }
    }

    /// What a refund request did.
    public enum Refund: Sendable, Equatable {
        /// The charge's money went back now.
        case refunded(Money)
        /// An earlier refund of this key already returned it.
        case alreadyRefunded
        /// Nothing was charged under this key; it is void now, and a later charge with it is refused.
        case voided
    }

    /// Charges `amount` under `idempotencyKey`, unless the key is known: then the existing entry is returned
    /// (a voided one included, which the caller must treat as refused).
    public func charge(idempotencyKey: String, amount: Money) async throws -> Entry {
        // One statement: ON CONFLICT DO UPDATE waits for a concurrent request with the same key and then
        // answers with the entry that request made.
        let rows = try await pool.query(
            """
            INSERT INTO provider_charges (idempotency_key, amount, status) VALUES ($1, $2, 'charged')
            ON CONFLICT (idempotency_key) DO UPDATE SET charge_requests = provider_charges.charge_requests + 1
            RETURNING \(Self.columns)
            """, [.string(idempotencyKey), .money(amount)])
        guard let row = rows.first else {
            throw PostgresError(kind: .decoding, message: "the provider booked nothing for \(idempotencyKey)")
        }
        return try Self.entry(row)
    }

    /// Refunds the charge under `idempotencyKey` once, or voids the key when nothing was charged.
    public func refund(idempotencyKey: String) async throws -> Refund {
        try await pool.withSynchronousTransaction { transaction in
            let voided = try transaction.execute(
                """
                INSERT INTO provider_charges (idempotency_key, amount, status, charge_requests)
                VALUES ($1, 0, 'voided', 0)
                ON CONFLICT (idempotency_key) DO NOTHING
                """, [.string(idempotencyKey)])
            if voided == 1 { return .voided }
            let refunded = try transaction.query(
                """
                UPDATE provider_charges SET status = 'refunded', refunded_at = now()
                 WHERE idempotency_key = $1 AND status = 'charged'
                RETURNING amount
                """, [.string(idempotencyKey)])
            if let row = refunded.first { return .refunded(try row.money("amount")) }
            let status = try transaction.query(
                "SELECT status FROM provider_charges WHERE idempotency_key = $1", [.string(idempotencyKey)]
            ).first?.string("status")
            return status == Entry.Status.voided.rawValue ? .voided : .alreadyRefunded
        }
    }

    /// The entry of `idempotencyKey`, if any (reconciliation and tests).
    public func entry(idempotencyKey: String) async throws -> Entry? {
        try await pool.query(
            "SELECT \(Self.columns) FROM provider_charges WHERE idempotency_key = $1", [.string(idempotencyKey)]
        ).first.map(Self.entry)
    }

    private static let columns = "idempotency_key, amount, status, charge_requests"

    private static func entry(_ row: PostgresRow) throws -> Entry {
        let text = try row.string("status")
        guard let status = Entry.Status(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "unknown provider charge status \(text)")
        }
        return Entry(
            idempotencyKey: try row.string("idempotency_key"), amount: try row.money("amount"), status: status,
            chargeRequests: try row.int("charge_requests"))
    }
}
