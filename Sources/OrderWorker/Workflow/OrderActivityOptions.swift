import OrderCore
import TemporalBridge

/// The options every order activity is scheduled with, from `ActivitySettings` (docs/workflow.md: max
/// attempts, initial interval, backoff 2.0, max interval 30 s, start-to-close 10 s; business
/// failure types never retried).
struct OrderActivityOptions: Sendable {
    /// The forward steps: CreateOrder, CheckInventory, ProcessPayment, SendNotification.
    let step: ActivityOptions
    /// Compensations and the failure/cancellation notification. Same policy, but retried until
    /// they succeed: stock and money must come back even after a long database outage, and an
    /// unfinished compensation is what an operator would otherwise have to repair by hand.
    let compensation: ActivityOptions
    /// CreateOrder and CheckInventory run locally: the same timeout and retry policy, retried
    /// inside the workflow task while the backoff is at most a minute (every backoff of the
    /// documented policy is), on a durable timer beyond.
    let localStep: LocalActivityOptions

    init(settings: ActivitySettings) {
        let policy = RetryPolicy(
            initialInterval: settings.initialInterval,
            backoffCoefficient: settings.backoffCoefficient,
            maximumInterval: settings.maximumInterval,
            maximumAttempts: settings.maxAttempts,
            nonRetryableErrorTypes: ActivityErrorMapping.businessFailureTypes)
        step = ActivityOptions(startToCloseTimeout: settings.startToCloseTimeout, retryPolicy: policy)
        var unlimited = policy
        unlimited.maximumAttempts = 0
        compensation = ActivityOptions(startToCloseTimeout: settings.startToCloseTimeout, retryPolicy: unlimited)
        localStep = LocalActivityOptions(startToCloseTimeout: settings.startToCloseTimeout, retryPolicy: policy)
    }
}
