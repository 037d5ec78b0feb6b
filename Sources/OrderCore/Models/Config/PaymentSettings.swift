/// The payment simulator's behaviour.
public struct PaymentSettings: Sendable, Equatable {
    /// Payments above this amount are declined (a non-retryable `PaymentDeclined`).
    public var maxAmount: Money
    /// Share (0.0–1.0) of payment attempts that fail transiently, to exercise retries.
    public var failureRate: Double
    /// Simulated processing time per payment attempt.
    public var delay: Duration

    public init(maxAmount: Money = Money(cents: 1_000_000), failureRate: Double = 0.0, delay: Duration = .zero) {
        self.maxAmount = maxAmount
        self.failureRate = failureRate
        self.delay = delay
    }
}
