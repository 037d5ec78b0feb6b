/// Whether a call may be re-sent after a transient failure.
///
/// Only calls that are safe to repeat should use `.safe`: reads, and writes the
/// server deduplicates (a request id, a task token that becomes NOT_FOUND once used).
public enum RPCRetryPolicy: Sendable, Hashable {
    case none
    case safe(maxAttempts: Int)

    /// Five attempts: with the backoff below this rides out a dev-server restart of a few seconds.
    public static let `default` = RPCRetryPolicy.safe(maxAttempts: 5)

    var maxAttempts: Int {
        switch self {
        case .none: 1
        case .safe(let maxAttempts): max(1, maxAttempts)
        }
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
