/// sdk-core's retry decision for a failed local activity attempt (`ValidatedRetryPolicy::should_retry`):
/// the wait before the next attempt, or nil when the failure is final.
struct LocalActivityRetry: Sendable {
    let initialInterval: Duration
    let backoffCoefficient: Double
    let maximumInterval: Duration
    /// 0 = unlimited.
    let maximumAttempts: Int
    let nonRetryableErrorTypes: [String]

    /// Unset or invalid fields take sdk-core's defaults: 1 s, 2.0, 100 × initial, unlimited.
    init(_ policy: RetryPolicy?) {
        let initial = policy?.initialInterval.flatMap { $0 > .zero ? $0 : nil } ?? .seconds(1)
        initialInterval = initial
        backoffCoefficient = (policy?.backoffCoefficient).flatMap { $0 >= 1 ? $0 : nil } ?? 2.0
        maximumInterval = policy?.maximumInterval.map { max($0, initial) } ?? initial * 100
        maximumAttempts = max(0, policy?.maximumAttempts ?? 0)
        nonRetryableErrorTypes = policy?.nonRetryableErrorTypes ?? []
    }

    /// The backoff after attempt `attempt` failed with `failure`; nil = do not retry.
    func backoff(afterAttempt attempt: Int, failure: Temporal_Api_Failure_V1_Failure) -> Duration? {
        if maximumAttempts > 0 && attempt >= maximumAttempts { return nil }
        let application = Self.applicationInfo(of: failure)
        if application?.nonRetryable == true { return nil }
        let type = (application?.type ?? "").lowercased()
        if nonRetryableErrorTypes.contains(where: { $0.lowercased() == type }) { return nil }
        if let application, application.hasNextRetryDelay {
            return Duration(application.nextRetryDelay)
        }
        if attempt <= 1 { return initialInterval }
        let factor = pow(backoffCoefficient, Double(attempt - 1))
        let seconds = factor * initialInterval.timeInterval
        guard seconds.isFinite, seconds < 1e12 else { return maximumInterval }
        return min(.nanoseconds(Int64(seconds * 1e9)), maximumInterval)
    }

    /// The application failure of an attempt, as sdk-core finds it (`maybe_application_failure`).
    private static func applicationInfo(of failure: Temporal_Api_Failure_V1_Failure)
        -> Temporal_Api_Failure_V1_ApplicationFailureInfo?
    {
        if case .applicationFailureInfo(let info)? = failure.failureInfo { return info }
        return nil
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
