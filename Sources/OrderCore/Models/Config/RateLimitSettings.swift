/// Per-client limit on order creation: a token bucket refilled at `perMinute / 60` tokens a
/// second holding at most `burst` tokens. `perMinute == 0` turns limiting off.
public struct RateLimitSettings: Sendable, Equatable {
    public var perMinute: Int
    public var burst: Int

    /// Generous on purpose: one client (or one test suite, all from 127.0.0.1) may create
    /// 1000 orders at once and 100 a second after that.
    public init(perMinute: Int = 6000, burst: Int = 1000) {
        self.perMinute = perMinute
        self.burst = burst
    }

    public var isEnabled: Bool { perMinute > 0 }

    /// Tokens added per second.
    public var refillPerSecond: Double { Double(perMinute) / 60 }
}
