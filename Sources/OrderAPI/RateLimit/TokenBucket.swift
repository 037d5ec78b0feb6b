import OrderCore

/// The token-bucket arithmetic, shared by the in-process limiter; `RedisRateLimiter`'s Lua
/// script does the same in Redis. Times are microseconds on one monotonic clock.
struct TokenBucket: Sendable, Equatable {
    var tokens: Double
    var updatedAt: Int64

    /// A client seen for the first time starts with a full bucket.
    static func full(_ settings: RateLimitSettings, at now: Int64) -> TokenBucket {
        TokenBucket(tokens: Double(settings.burst), updatedAt: now)
    }

    /// Refills for the time elapsed, then takes one token if there is one.
    mutating func take(_ settings: RateLimitSettings, at now: Int64) -> RateLimitDecision {
        refill(settings, at: now)
        if tokens >= 1 {
            tokens -= 1
            return RateLimitDecision(allowed: true, remaining: Int(tokens), retryAfter: .zero)
        }
        let missing = 1 - tokens
        let waitMicroseconds = (missing * 1_000_000 / settings.refillPerSecond).rounded(.up)
        return RateLimitDecision(allowed: false, remaining: 0, retryAfter: .microseconds(Int64(waitMicroseconds)))
    }

    mutating func refill(_ settings: RateLimitSettings, at now: Int64) {
        let elapsed = Double(max(0, now - updatedAt)) / 1_000_000
        tokens = min(Double(settings.burst), tokens + elapsed * settings.refillPerSecond)
        updatedAt = max(updatedAt, now)
    }

    /// True when the bucket is full again, so forgetting it changes nothing.
    func isFull(_ settings: RateLimitSettings, at now: Int64) -> Bool {
        var copy = self
        copy.refill(settings, at: now)
        return copy.tokens >= Double(settings.burst)
    }
}
