/// Exponential backoff with full jitter: attempt n sleeps a uniform random time in
/// [0, min(cap, initial * 2^(n-1))], which spreads retries of many callers apart.
struct RetryBackoff: Sendable {
    var initial: Duration = .milliseconds(200)
    var cap: Duration = .seconds(5)

    func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(cap, initial * (1 << exponent))
        let ceilingNanos = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(ceilingNanos, 1)))
    }
}
