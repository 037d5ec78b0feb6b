import OrderCore
import Testing

@testable import OrderWorker

@Suite struct PaymentSimulatorTests {
    @Test func transactionIdIsStablePerOrderAndDiffersBetweenOrders() {
        let first = PaymentSimulator.transactionId(orderId: "order-1")
        #expect(first == PaymentSimulator.transactionId(orderId: "order-1"))
        #expect(first != PaymentSimulator.transactionId(orderId: "order-2"))
        #expect(first.hasPrefix("txn-"))
        #expect(first.count == 4 + 16)
        #expect(first.dropFirst(4).allSatisfy { $0.isHexDigit })
    }

    @Test func chargesUpToTheLimitAndDeclinesAboveIt() async throws {
        let simulator = PaymentSimulator(settings: PaymentSettings(maxAmount: Money(cents: 10_000)))
        let id = try await simulator.charge(orderId: "o-1", amount: Money(cents: 10_000))
        #expect(id == PaymentSimulator.transactionId(orderId: "o-1"))
        await #expect(throws: PaymentError.self) {
            try await simulator.charge(orderId: "o-1", amount: Money(cents: 10_001))
        }
        do {
            _ = try await simulator.charge(orderId: "o-1", amount: Money(cents: 10_001))
        } catch {
            guard case .declined = error else { Issue.record("expected declined, got \(error)"); return }
        }
    }

    @Test func failureRateDecidesTransientFailures() async throws {
        let always = PaymentSimulator(settings: PaymentSettings(failureRate: 1.0), random: { 0.999 })
        do {
            _ = try await always.charge(orderId: "o", amount: Money(cents: 100))
            Issue.record("a failure rate of 1.0 must fail every attempt")
        } catch {
            #expect(error == .unavailable("payment provider temporarily unavailable (simulated)"))
        }
        let never = PaymentSimulator(settings: PaymentSettings(failureRate: 0.0), random: { 0.0 })
        _ = try await never.charge(orderId: "o", amount: Money(cents: 100))
        let half = PaymentSimulator(settings: PaymentSettings(failureRate: 0.5), random: { 0.7 })
        _ = try await half.charge(orderId: "o", amount: Money(cents: 100))
    }

    @Test func declineWinsOverTransientFailure() async {
        let simulator = PaymentSimulator(
            settings: PaymentSettings(maxAmount: Money(cents: 1), failureRate: 1.0), random: { 0 })
        do {
            _ = try await simulator.charge(orderId: "o", amount: Money(cents: 2))
            Issue.record("expected a decline")
        } catch {
            guard case .declined = error else { Issue.record("expected declined, got \(error)"); return }
        }
    }

    @Test func delayIsApplied() async throws {
        let simulator = PaymentSimulator(settings: PaymentSettings(delay: .milliseconds(150)))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await simulator.charge(orderId: "o", amount: Money(cents: 1))
        #expect(clock.now - start >= .milliseconds(150))
    }
}
