import Metrics
import OrderCore

/// OrderFlow's business series, beside the worker's temporal_* series. Counted in activities (never
/// in workflow code, which replays) and only when the activity's transaction changed something,
/// so a retried or duplicated activity counts once:
/// - `orderflow_orders_finished_total{outcome}`: completed, cancelled, and failed with
///   `failure_type` (InvalidProduct, InsufficientInventory, PaymentDeclined, InvalidOrder, Other);
/// - `orderflow_compensations_total{compensation}`: ReleaseInventory, RefundPayment runs that undid something;
/// - `orderflow_payments_total{outcome}`: charged, declined, failed (transient, retried);
/// - `orderflow_payment_amount`: histogram of charged amounts in the order currency (its `_sum` is revenue).
struct OrderMetrics: Sendable {
    static let paymentAmount = "orderflow_payment_amount"
    /// Histogram buckets of `orderflow_payment_amount`, up to the default PAYMENT_MAX_AMOUNT and beyond.
    static let valueBuckets: [String: [Double]] = [
        paymentAmount: [10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000]
    ]

    private let completed = Counter(label: "orderflow_orders_finished_total", dimensions: [("outcome", "completed")])
    private let cancelled = Counter(label: "orderflow_orders_finished_total", dimensions: [("outcome", "cancelled")])
    private let failed: [String: Counter] = Dictionary(
        uniqueKeysWithValues: (OrderFailureType.allCases.map(\.rawValue) + ["Other"]).map { type in
            (
                type,
                Counter(
                    label: "orderflow_orders_finished_total",
                    dimensions: [("outcome", "failed"), ("failure_type", type)])
            )
        })
    private let released = Counter(
        label: "orderflow_compensations_total", dimensions: [("compensation", "ReleaseInventory")])
    private let refunded = Counter(
        label: "orderflow_compensations_total", dimensions: [("compensation", "RefundPayment")])
    private let charged = Counter(label: "orderflow_payments_total", dimensions: [("outcome", "charged")])
    private let declined = Counter(label: "orderflow_payments_total", dimensions: [("outcome", "declined")])
    private let paymentFailed = Counter(label: "orderflow_payments_total", dimensions: [("outcome", "failed")])
    private let amounts = Recorder(label: paymentAmount)

    /// An order reached `status` for the first time; `reason` is its failure_reason ("Type: message").
    func finished(_ status: OrderStatus, reason: String?) {
        switch status {
        case .completed: completed.increment()
        case .cancelled: cancelled.increment()
        case .failed: failed[Self.failureType(reason)]?.increment()
        default: break
        }
    }

    func compensated(releasedInventory: Bool) { (releasedInventory ? released : refunded).increment() }

    func paid(_ amount: Money) {
        charged.increment()
        amounts.record(Double(amount.cents) / 100)
    }

    func paymentRefused(declined isDeclined: Bool) { (isDeclined ? declined : paymentFailed).increment() }

    /// The business type a failure_reason starts with; anything else is "Other".
    static func failureType(_ reason: String?) -> String {
        guard let reason, let colon = reason.firstIndex(of: ":") else { return "Other" }
        return OrderFailureType(rawValue: String(reason[..<colon]))?.rawValue ?? "Other"
    }
}
