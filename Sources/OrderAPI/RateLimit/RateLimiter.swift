import OrderCore

/// Decides whether one more order creation by `client` is allowed now. Implementations:
/// `RedisRateLimiter` (shared by every API replica) and `InProcessRateLimiter` (one process).
public protocol RateLimiter: Sendable {
    var settings: RateLimitSettings { get }
    /// Takes one token from `client`'s bucket if there is one.
    func acquire(client: String) async throws -> RateLimitDecision
}

/// The answer for one request.
public struct RateLimitDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Whole tokens left after this request.
    public var remaining: Int
    /// When refused: how long until one token is back.
    public var retryAfter: Duration

    public init(allowed: Bool, remaining: Int, retryAfter: Duration) {
        self.allowed = allowed
        self.remaining = remaining
        self.retryAfter = retryAfter
    }

    /// `Retry-After` in whole seconds, rounded up and at least 1.
    public var retryAfterSeconds: Int {
        let (seconds, attoseconds) = retryAfter.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
