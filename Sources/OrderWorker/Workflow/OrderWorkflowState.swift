import Foundation
import OrderCore
import TemporalBridge

/// What the workflow knows about its order while it runs: the status and step reported by the
/// `getStatus` query and the pending `cancelOrder` request.
///
/// Only the workflow's own thread touches it (workflow code, signal and query handlers all run
/// there), so it needs no lock; `@unchecked Sendable` lets the workflow's shielded task hold it.
final class OrderWorkflowState: @unchecked Sendable {
    let orderId: String
    private(set) var status: OrderStatus = .pending
    private(set) var step: String?
    private(set) var attempt = 1
    private(set) var failureReason: String?
    /// Set by the `cancelOrder` signal; acted on when the activity in flight returns.
    private(set) var cancelReason: String?
    /// True once the workflow is compensating (failing or cancelling): further signals change nothing.
    private(set) var isSettling = false

    init(orderId: String) {
        self.orderId = orderId
    }

    var report: OrderStatusReport {
        OrderStatusReport(orderId: orderId, status: status, step: step, attempt: attempt, failureReason: failureReason)
    }

    /// Registers the `getStatus` query, the `cancelOrder` signal and the step tracking.
    func registerHandlers() {
        Workflow.setQueryHandler(OrderWorkflow.statusQuery, description: "order status, current step and attempt") {
            [self] in report
        }
        Workflow.setSignalHandler(OrderWorkflow.cancelSignal, as: CancelOrderRequest.self) { [self] request in
            requestCancellation(reason: request?.reason)
        }
        Workflow.onActivityStatus { [self] activity in
            step = activity.activityType
            attempt = activity.attempt
        }
    }

    func requestCancellation(reason: String?) {
        guard !status.isTerminal, !isSettling, cancelReason == nil else { return }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        cancelReason = (trimmed?.isEmpty ?? true) ? "cancelled on request" : trimmed
    }

    /// Throws `OrderCancellation` when the order was asked to stop, by signal or by Temporal.
    func checkCancellation() throws(OrderCancellation) {
        if let cancelReason { throw OrderCancellation(reason: cancelReason, requestedByTemporal: false) }
        if Workflow.isCancellationRequested {
            throw OrderCancellation(reason: "cancellation requested through Temporal", requestedByTemporal: true)
        }
    }

    func reached(_ status: OrderStatus) {
        self.status = status
    }

    func settle(reason: String) {
        isSettling = true
        failureReason = reason
    }
}

/// The order is to be cancelled: raised between steps, handled by compensating.
struct OrderCancellation: Error, Sendable {
    let reason: String
    /// A Temporal cancel request (the run then ends Canceled) rather than the `cancelOrder` signal.
    let requestedByTemporal: Bool
}
