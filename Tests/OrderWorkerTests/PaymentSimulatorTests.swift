import OrderCore
import OrderStore
import Testing

@testable import OrderWorker

/// The simulated provider against its ledger in the real PostgreSQL; every test uses keys of its own.
@Suite struct PaymentSimulatorTests {
    private func withSimulator(
        _ settings: PaymentSettings = PaymentSettings(), random: @escaping @Sendable () -> Double = { 0.99 },
        _ body: (PaymentSimulator, PaymentProviderLedger) async throws -> Void
    ) async throws {
        let pool = try await WorkerTestDatabase.pool(maxConnections: 2)
        let ledger = PaymentProviderLedger(pool: pool)
        do {
            try await body(PaymentSimulator(settings: settings, ledger: ledger, random: random), ledger)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    private func key() -> String { WorkerTestDatabase.uniqueId("txn-test") }

    @Test func transactionIdIsStablePerOrderAndDiffersBetweenOrders() {
        let first = PaymentSimulator.transactionId(orderId: "order-1")
        #expect(first == PaymentSimulator.transactionId(orderId: "order-1"))
        #expect(first != PaymentSimulator.transactionId(orderId: "order-2"))
        #expect(first.hasPrefix("txn-"))
        #expect(first.count == 4 + 16)
        #expect(first.dropFirst(4).allSatisfy { $0.isHexDigit })
        // Known answers (SHA-256 of "abc" is FIPS 180-2's example): ids made before swift-crypto stay the same.
        #expect(PaymentSimulator.transactionId(orderId: "abc") == "txn-ba7816bf8f01cfea")
        #expect(PaymentSimulator.transactionId(orderId: "order-1") == "txn-0bafe22156d2698c")
        #expect(PaymentSimulator.transactionId(orderId: "") == "txn-e3b0c44298fc1c14")
    }

    @Test func chargesUpToTheLimitAndDeclinesAboveIt() async throws {
        try await withSimulator(PaymentSettings(maxAmount: Money(cents: 10_000))) { simulator, ledger in
            let allowed = key()
            #expect(try await simulator.charge(idempotencyKey: allowed, amount: Money(cents: 10_000)) == allowed)
            let declined = key()
            do {
                _ = try await simulator.charge(idempotencyKey: declined, amount: Money(cents: 10_001))
                Issue.record("expected a decline")
            } catch let error as PaymentError {
                guard case .declined = error else { Issue.record("expected declined, got \(error)"); return }
            }
            #expect(try await ledger.entry(idempotencyKey: declined) == nil, "a decline books nothing")
        }
    }

    @Test func aKeyIsChargedOnceHoweverOftenItIsSent() async throws {
        try await withSimulator { simulator, ledger in
            let key = self.key()
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await simulator.charge(idempotencyKey: key, amount: Money(cents: 4_200)) }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(answers) == [key])
            let entry = try #require(try await ledger.entry(idempotencyKey: key))
            #expect(entry.amount == Money(cents: 4_200))
            #expect(entry.status == .charged)
            let count = try await ledger.pool.query(
                "SELECT count(*) AS n FROM provider_charges WHERE idempotency_key = $1", [.string(key)])
            #expect(try count.first?.int("n") == 1)
        }
    }

    @Test func refundsOnceAndVoidsAKeyNeverCharged() async throws {
        try await withSimulator { simulator, _ in
            let charged = key()
            _ = try await simulator.charge(idempotencyKey: charged, amount: Money(cents: 500))
            #expect(try await simulator.refund(idempotencyKey: charged) == .refunded(Money(cents: 500)))
            #expect(try await simulator.refund(idempotencyKey: charged) == .alreadyRefunded)
            // A late charge of a refunded key is the first charge again, not new money.
            #expect(try await simulator.charge(idempotencyKey: charged, amount: Money(cents: 500)) == charged)

            let never = key()
            #expect(try await simulator.refund(idempotencyKey: never) == .voided)
            #expect(try await simulator.refund(idempotencyKey: never) == .voided)
            do {
                _ = try await simulator.charge(idempotencyKey: never, amount: Money(cents: 500))
                Issue.record("a voided key was charged")
            } catch let error as PaymentError {
                guard case .voided = error else { Issue.record("expected voided, got \(error)"); return }
            }
        }
    }

    @Test func failureRateDecidesTransientFailures() async throws {
        try await withSimulator(PaymentSettings(failureRate: 1.0), random: { 0.999 }) { always, ledger in
            let key = self.key()
            do {
                _ = try await always.charge(idempotencyKey: key, amount: Money(cents: 100))
                Issue.record("a failure rate of 1.0 must fail every attempt")
            } catch let error as PaymentError {
                #expect(error == .unavailable("payment provider temporarily unavailable (simulated)"))
            }
            #expect(try await ledger.entry(idempotencyKey: key) == nil)
            let never = PaymentSimulator(settings: PaymentSettings(failureRate: 0.0), ledger: ledger, random: { 0.0 })
            _ = try await never.charge(idempotencyKey: self.key(), amount: Money(cents: 100))
            let half = PaymentSimulator(settings: PaymentSettings(failureRate: 0.5), ledger: ledger, random: { 0.7 })
            _ = try await half.charge(idempotencyKey: self.key(), amount: Money(cents: 100))
        }
    }

    @Test func declineWinsOverTransientFailure() async throws {
        try await withSimulator(PaymentSettings(maxAmount: Money(cents: 1), failureRate: 1.0), random: { 0 }) {
            simulator, _ in
            do {
                _ = try await simulator.charge(idempotencyKey: key(), amount: Money(cents: 2))
                Issue.record("expected a decline")
            } catch let error as PaymentError {
                guard case .declined = error else { Issue.record("expected declined, got \(error)"); return }
            }
        }
    }

    @Test func delayIsApplied() async throws {
        try await withSimulator(PaymentSettings(delay: .milliseconds(150))) { simulator, _ in
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await simulator.charge(idempotencyKey: key(), amount: Money(cents: 1))
            #expect(clock.now - start >= .milliseconds(150))
        }
    }
}
