import Metrics
import Synchronization

/// `temporal_request` / `_failure` / `_latency` and their `temporal_long_request` twins for the
/// long polls, per call attempt, as sdk-core's client counts them: labels `namespace` and
/// `operation` (the RPC name), plus `status_code` (e.g. UNAVAILABLE) on failures. Every attempt
/// counts as a request; a failed one counts as a failure too. Each operation also gets a failure
/// series without `status_code` that stays 0, so a dashboard shows "no failures" rather than no data.
final class RequestMetrics: Sendable {
    /// The long-poll RPCs (sdk-core's list of the ones we call).
    static let longPollOperations: Set<String> = ["PollWorkflowTaskQueue", "PollActivityTaskQueue"]

    private let namespace: String
    private let operations = Mutex<[String: OperationSeries]>([:])
    private let failures = Mutex<[FailureKey: Counter]>([:])

    init(namespace: String) { self.namespace = namespace }

    func series(_ operation: String) -> OperationSeries {
        operations.withLock { known in
            if let series = known[operation] { return series }
            let made = OperationSeries(
                long: Self.longPollOperations.contains(operation),
                dimensions: [("namespace", namespace), ("operation", operation)])
            known[operation] = made
            return made
        }
    }

    func failed(_ operation: String, code: RPCStatusCode) {
        let key = FailureKey(operation: operation, code: code)
        let counter = failures.withLock { known in
            if let counter = known[key] { return counter }
            let long = Self.longPollOperations.contains(operation)
            let made = Counter(
                label: long ? TemporalMetricNames.longRequestFailure : TemporalMetricNames.requestFailure,
                dimensions: [("namespace", namespace), ("operation", operation), ("status_code", code.description)])
            known[key] = made
            return made
        }
        counter.increment()
    }

    struct OperationSeries: Sendable {
        let requests: Counter
        let latency: Metrics.Timer
        let noFailures: Counter

        init(long: Bool, dimensions: [(String, String)]) {
            requests = Counter(
                label: long ? TemporalMetricNames.longRequest : TemporalMetricNames.request, dimensions: dimensions)
            noFailures = Counter(
                label: long ? TemporalMetricNames.longRequestFailure : TemporalMetricNames.requestFailure,
                dimensions: dimensions)
            latency = Metrics.Timer(
                label: long ? TemporalMetricNames.longRequestLatency : TemporalMetricNames.requestLatency,
                dimensions: dimensions, preferredDisplayUnit: .seconds)
        }
    }

    private struct FailureKey: Hashable {
        let operation: String
        let code: RPCStatusCode
    }
}
