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

    init(reading env: EnvironmentReader) throws(ConfigError) {
        let defaults = PaymentSettings()
        self.init(
            maxAmount: try env.money("PAYMENT_MAX_AMOUNT", default: defaults.maxAmount),
            failureRate: try env.fraction("PAYMENT_FAILURE_RATE", default: defaults.failureRate),
            delay: try env.milliseconds("PAYMENT_DELAY_MS", default: 0, minimum: 0))
    }
}
