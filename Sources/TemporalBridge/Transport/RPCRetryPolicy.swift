/// Whether, and how, a call is re-sent after a transient failure (UNAVAILABLE, RESOURCE_EXHAUSTED).
///
/// Only calls that are safe to repeat should retry: reads, and writes the server deduplicates (a
/// request id, a task token that becomes NOT_FOUND once used). Retries back off exponentially with
/// jitter and stop at `maxAttempts`, once `maxElapsed` has passed since the first attempt, or when the
/// call's own timeout would end first, whichever comes first: the timeout always bounds the call.
public struct RPCRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 = no retry.
    public var maxAttempts: Int
    /// The wait before the first retry; each later wait is `multiplier` times longer, up to `maxInterval`.
    public var initialInterval: Duration
    public var multiplier: Double
    public var maxInterval: Duration
    /// Each wait is drawn uniformly within ± this share of its nominal value, so callers that failed together
    /// do not retry in lockstep.
    public var jitter: Double
    /// Time since the first attempt after which no retry starts; the last wait is shortened to end on it,
    /// so a call keeps trying for that long. Nil = only `maxAttempts` and the call's timeout bound it.
    public var maxElapsed: Duration?

    public init(
        maxAttempts: Int, initialInterval: Duration = .milliseconds(100), multiplier: Double = 1.7,
        maxInterval: Duration = .seconds(5), jitter: Double = 0.2, maxElapsed: Duration? = nil
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialInterval = initialInterval
        self.multiplier = max(1, multiplier)
        self.maxInterval = maxInterval
        self.jitter = min(max(jitter, 0), 1)
        self.maxElapsed = maxElapsed
    }

    /// A single attempt.
    public static let none = RPCRetryPolicy(maxAttempts: 1)

    /// The official SDKs' (sdk-core's) client retry: 100 ms growing by 1.7 up to 5 s, ±20 %, for 10 s and at
    /// most 10 retries. A Temporal frontend that restarts within several seconds is ridden out, by the API and the
    /// worker alike, as long as the call's timeout allows it.
    public static let `default` = RPCRetryPolicy(
        maxAttempts: 11, initialInterval: .milliseconds(100), multiplier: 1.7, maxInterval: .seconds(5), jitter: 0.2,
        maxElapsed: .seconds(10))

    /// The default backoff with `maxAttempts` attempts and no elapsed-time limit of its own.
    public static func safe(maxAttempts: Int) -> RPCRetryPolicy {
        var policy = RPCRetryPolicy.default
        policy.maxAttempts = max(1, maxAttempts)
        policy.maxElapsed = nil
        return policy
    }

    /// The nominal wait after failed attempt `attempt` (1-based), before jitter.
    func nominalDelay(afterAttempt attempt: Int) -> Duration {
        let cap = Self.seconds(maxInterval)
        var seconds = Self.seconds(initialInterval)
        for _ in 1..<max(attempt, 1) where seconds < cap { seconds *= multiplier }
        return .seconds(min(seconds, cap))
    }

    /// The wait after failed attempt `attempt`, `elapsed` after the first attempt began; nil = give up.
    func delay(
        afterAttempt attempt: Int, elapsed: Duration,
        random: (ClosedRange<Double>) -> Double = {
            Double.random(in: $0)
        }
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let nominal = Self.seconds(nominalDelay(afterAttempt: attempt))
        var delay = Duration.seconds(nominal * random((1 - jitter)...(1 + jitter)))
        if let maxElapsed {
            let left = maxElapsed - elapsed
            guard left > .zero else { return nil }
            delay = min(delay, left)
        }
        return delay
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// UNAVAILABLE and RESOURCE_EXHAUSTED are transient; a too-large message is not.
    static func isRetryable(_ error: TemporalRPCError) -> Bool {
        switch error.code {
        case .unavailable: true
        case .resourceExhausted: !error.isMessageTooLarge
        default: false
        }
    }
}
