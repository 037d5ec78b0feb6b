import OrderCore
import Synchronization

/// Token buckets in this process's memory: the fallback when Redis is not configured. Same
/// semantics as `RedisRateLimiter`, but each API replica counts on its own.
public final class InProcessRateLimiter: RateLimiter {
    public let settings: RateLimitSettings
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private let clock: @Sendable () -> Int64
    /// Above this many clients, full buckets are forgotten so memory stays bounded.
    private let pruneThreshold: Int

    /// `now` returns microseconds on a monotonic clock (injectable for tests).
    public init(
        settings: RateLimitSettings, pruneThreshold: Int = 10_000,
        now: @escaping @Sendable () -> Int64 = InProcessRateLimiter.monotonicMicroseconds
    ) {
        self.settings = settings
        self.pruneThreshold = pruneThreshold
        self.clock = now
    }

    public func acquire(client: String) async throws -> RateLimitDecision {
        let now = clock()
        let settings = settings
        let threshold = pruneThreshold
        return buckets.withLock { buckets in
            if buckets.count >= threshold {
                buckets = buckets.filter { !$0.value.isFull(settings, at: now) }
            }
            var bucket = buckets[client] ?? .full(settings, at: now)
            let decision = bucket.take(settings, at: now)
            buckets[client] = bucket
            return decision
        }
    }

    /// How many clients have a bucket (for tests of the pruning).
    var trackedClients: Int { buckets.withLock { $0.count } }

    /// Microseconds since the first call, on the monotonic clock (wall-clock jumps do not refill buckets).
    public static func monotonicMicroseconds() -> Int64 {
        let (seconds, attoseconds) = MonotonicOrigin.instant.duration(to: .now).components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

private enum MonotonicOrigin {
    static let instant = ContinuousClock.now
}
