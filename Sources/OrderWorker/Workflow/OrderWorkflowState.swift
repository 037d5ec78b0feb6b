import Foundation
import OrderCore
import TemporalBridge

/// What the workflow knows about its order while it runs: the status and step reported by the
/// `getStatus` query and the Web UI's current details, and the pending `cancelOrder` request.
///
/// Only the workflow's own thread touches it (workflow code, signal and query handlers all run
/// there), so it needs no lock; `@unchecked Sendable` lets the workflow's shielded task hold it.
final class OrderWorkflowState: @unchecked Sendable {
    let orderId: String
    let items: [OrderItem]
    private(set) var status: OrderStatus = .pending
    private(set) var step: String?
    /// Of the step's activity, to ask for its live attempt.
    private(set) var stepActivityId: String?
    private(set) var attempt = 1
    /// Of the current step's retry policy; 0 = unlimited.
    private(set) var maximumAttempts = 0
    /// Known once CreateOrder priced the order from the catalog.
    private(set) var total: Money?
    private(set) var failureReason: String?
    /// Set by the `cancelOrder` signal; acted on when the activity in flight returns.
    private(set) var cancelReason: String?
    /// True once the workflow is compensating (failing or cancelling): further signals change nothing.
    private(set) var isSettling = false

    init(order: OrderInput) {
        self.orderId = order.orderId
        self.items = order.items
    }

    var report: OrderStatusReport {
        OrderStatusReport(orderId: orderId, status: status, step: step, attempt: attempt, failureReason: failureReason)
    }

    /// Registers the `getStatus` query, the `cancelOrder` signal and the step tracking.
    func registerHandlers() {
        Workflow.setQueryHandler(
            OrderWorkflowContract.statusQuery,
            description: "The order's status, the step in flight (or last done), its attempt and any failure reason, "
                + "as JSON: {order_id, status, step, attempt, failure_reason}."
        ) { [self] in report }
        Workflow.setSignalHandler(
            OrderWorkflowContract.cancelSignal, as: CancelOrderRequest.self,
            description: "Cancel the order, optionally with {\"reason\": \"...\"}. Honoured until the order is "
                + "completed, when the step in flight returns: payment refunded, stock released, order cancelled."
        ) { [self] request in
            requestCancellation(reason: request?.reason)
        }
        Workflow.onActivityStatus { [self] activity in
            step = activity.activityType
            stepActivityId = activity.activityId
            attempt = activity.attempt
            maximumAttempts = activity.maximumAttempts
        }
        Workflow.setCurrentDetails { [self] in
            details(live: stepActivityId.flatMap { Workflow.liveAttempt(ofActivity: $0) })
        }
    }

    func requestCancellation(reason: String?) {
        guard !status.isTerminal, !isSettling, cancelReason == nil else { return }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        cancelReason = (trimmed?.isEmpty ?? true) ? "cancelled on request" : trimmed
    }

    /// Throws `OrderCancellation` when the order was asked to stop, by signal or by Temporal. Untyped: a typed throw
    /// would reserve a slot for the error at every call site in `OrderProcess.run()`'s async frame.
    func checkCancellation() throws {
        if let cancelReason { throw OrderCancellation(reason: cancelReason, requestedByTemporal: false) }
        if Workflow.isCancellationRequested {
            throw OrderCancellation(reason: "cancellation requested through Temporal", requestedByTemporal: true)
        }
    }

    func reached(_ status: OrderStatus) {
        self.status = status
    }

    func priced(total: Money) {
        self.total = total
    }

    func settle(reason: String) {
        isSettling = true
        failureReason = reason
    }

    /// The Web UI's current details: the order's story so far, as Markdown. `live` is what the
    /// server says of the step's running attempt (history knows it only when the step ends).
    func details(live: LiveActivityAttempt? = nil) -> String {
        let attempt = max(self.attempt, live?.attempt ?? 1)
        let maximumAttempts = live?.maximumAttempts ?? self.maximumAttempts
        let attempts = maximumAttempts > 0 ? "attempt \(attempt) of \(maximumAttempts)" : "attempt \(attempt)"
        let lastFailure = failureReason ?? live?.lastFailure.map { "\($0) (retrying)" } ?? "none"
        let stepLine =
            status.isTerminal ? "done (last: \(step ?? "none"))" : step.map { "\($0), \(attempts)" } ?? "not started"
        return """
            **Order** \(orderId): **\(status.rawValue.replacingOccurrences(of: "_", with: " "))**

            - **Items:** \(OrderSummaries.items(items))
            - **Total:** \(total?.displayText ?? "not priced yet")
            - **Current step:** \(stepLine)
            - **Last failure:** \(lastFailure)
            """
    }
}

/// The order is to be cancelled: raised between steps, handled by compensating.
struct OrderCancellation: Error, Sendable {
    let reason: String
    /// A Temporal cancel request (the run then ends Canceled) rather than the `cancelOrder` signal.
    let requestedByTemporal: Bool
}
