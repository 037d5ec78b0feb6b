import OrderCore
import Synchronization
import Testing

@testable import OrderAPI

/// The in-process fallback limiter (no REDIS_URL), on a clock the test moves by hand.
@Suite("In-process rate limiter")
struct RateLimitTokenBucketTests {
    final class ManualClock: Sendable {
        let microseconds = Atomic<Int64>(0)
        func advance(_ duration: Duration) {
            let (seconds, attoseconds) = duration.components
            microseconds.add(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, ordering: .relaxed)
        }
    }

    private func limiter(perMinute: Int, burst: Int, clock: ManualClock) -> InProcessRateLimiter {
        InProcessRateLimiter(settings: RateLimitSettings(perMinute: perMinute, burst: burst)) {
            clock.microseconds.load(ordering: .relaxed)
        }
    }

    @Test func burstThenRefusedThenRefilled() async throws {
        let clock = ManualClock()
        let subject = limiter(perMinute: 60, burst: 3, clock: clock)
        for expected in [2, 1, 0] {
            let decision = try await subject.acquire(client: "a")
            #expect(decision.allowed && decision.remaining == expected)
        }
        let refused = try await subject.acquire(client: "a")
        #expect(!refused.allowed)
        #expect(refused.retryAfter == .seconds(1))
        #expect(refused.retryAfterSeconds == 1)

        clock.advance(.milliseconds(400))
        let stillRefused = try await subject.acquire(client: "a")
        #expect(!stillRefused.allowed)
        #expect(stillRefused.retryAfter == .milliseconds(600))

        clock.advance(.milliseconds(600))
        #expect(try await subject.acquire(client: "a").allowed)
        #expect(try await !subject.acquire(client: "a").allowed)

        clock.advance(.seconds(3600))
        let refilled = try await subject.acquire(client: "a")
        #expect(refilled.allowed && refilled.remaining == 2, "never more than the burst")
    }

    @Test func clientsAreCountedApart() async throws {
        let clock = ManualClock()
        let subject = limiter(perMinute: 1, burst: 1, clock: clock)
        #expect(try await subject.acquire(client: "a").allowed)
        #expect(try await !subject.acquire(client: "a").allowed)
        #expect(try await subject.acquire(client: "b").allowed)
        let refused = try await subject.acquire(client: "b")
        #expect(refused.retryAfterSeconds == 60)
    }

    @Test func retryAfterIsRoundedUpToWholeSeconds() {
        #expect(RateLimitDecision(allowed: false, remaining: 0, retryAfter: .milliseconds(1)).retryAfterSeconds == 1)
        #expect(RateLimitDecision(allowed: false, remaining: 0, retryAfter: .milliseconds(1001)).retryAfterSeconds == 2)
        #expect(RateLimitDecision(allowed: false, remaining: 0, retryAfter: .seconds(7)).retryAfterSeconds == 7)
    }

    @Test func concurrentRequestsNeverExceedTheBurst() async throws {
        let clock = ManualClock()
        let subject = limiter(perMinute: 1, burst: 50, clock: clock)
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { try await subject.acquire(client: "c").allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
    }
}
