import OrderCore
import TemporalBridge

/// One order's way through the steps, written the way the steps read. Between steps it checks
/// for cancellation; business failures and cancellations both end in compensation.
///
/// A class, so the steps' closures and `run()`'s async frame, which every suspended run holds for its whole life,
/// carry a reference to it rather than copies of the order and the steps.
final class OrderProcess: Sendable {
    let order: OrderInput
    let steps: OrderSteps
    let state: OrderWorkflowState
    /// The `fraud-screen` patch's answer for this run.
    let screensFraud: Bool

    init(order: OrderInput, steps: OrderSteps, state: OrderWorkflowState, screensFraud: Bool) {
        self.order = order
        self.steps = steps
        self.state = state
        self.screensFraud = screensFraud
    }

    private var orderId: String { order.orderId }

    func run() async throws -> OrderWorkflowResult {
        var compensations = OrderCompensations()
        do {
            try state.checkCancellation()
            let created = try await steps.createOrder(order)
            state.priced(total: created.total)
            state.reached(.created)

            try state.checkCancellation()
            try await compensations.track(.releaseInventory) { try await steps.checkInventory(order) }
            state.reached(.inventoryReserved)

            if screensFraud {
                try state.checkCancellation()
                try await steps.screenFraud(order, amount: created.total)
            }

            try state.checkCancellation()
            let payment = try await compensations.track(.refundPayment) {
                try await steps.processPayment(orderId, amount: created.total)
            }
            state.reached(.paymentProcessed)

            try state.checkCancellation()
            try await steps.sendNotification(completedNotice(total: created.total))
            state.reached(.completed)
            return completed(total: created.total, transactionId: payment.transactionId)
        } catch {
            return try await settle(error, undoing: compensations)
        }
    }

    /// Compensates after a cancellation or a step's business failure; any other error ends the run as it is. Never
    /// inlined: the cast targets would otherwise take room in `run()`'s async frame for the run's whole life.
    @inline(never) private func settle(_ error: any Error, undoing compensations: OrderCompensations) async throws
        -> OrderWorkflowResult
    {
        switch error {
        case let cancellation as OrderCancellation: return try await cancel(cancellation, undoing: compensations)
        case let failure as ActivityFailure: throw try await fail(failure, undoing: compensations)
        default: throw error
        }
    }

    /// Undoes what was done, records the cancellation and ends `cancelled`; a Temporal cancel
    /// request then ends the run Canceled, the signal completes it with the cancelled result.
    private func cancel(_ cancellation: OrderCancellation, undoing compensations: OrderCompensations) async throws
        -> OrderWorkflowResult
    {
        state.settle(reason: cancellation.reason)
        Workflow.logger.info(
            "cancelling order", metadata: ["order_id": "\(orderId)", "reason": "\(cancellation.reason)"])
        try await compensate(compensations)
        try await steps.sendNotification(
            SendNotificationInput(
                orderId: orderId, customerId: order.customerId, kind: .orderCancelled,
                message: "Your order \(orderId) was cancelled: \(cancellation.reason)", reason: cancellation.reason))
        state.reached(.cancelled)
        if cancellation.requestedByTemporal { throw CancellationError() }
        return .cancelled(
            orderId: orderId, reason: cancellation.reason,
            refunded: compensations.needsRefund, inventoryReleased: compensations.needsRelease)
    }

    /// Undoes what was done, records the failure and returns the failure the run ends with:
    /// a non-retryable ApplicationFailure of the failing step's type (the business types of docs/workflow.md).
    private func fail(_ failure: ActivityFailure, undoing compensations: OrderCompensations) async throws
        -> ApplicationFailure
    {
        let reason = "\(failure.type): \(failure.message)"
        state.settle(reason: reason)
        Workflow.logger.info("order failed", metadata: ["order_id": "\(orderId)", "reason": "\(reason)"])
        try await compensate(compensations)
        try await steps.sendNotification(
            SendNotificationInput(
                orderId: orderId, customerId: order.customerId, kind: .orderFailed,
                message: "Your order \(orderId) could not be processed: \(failure.message)", reason: reason))
        state.reached(.failed)
        return ApplicationFailure(type: failure.type, message: failure.message, nonRetryable: true)
    }

    /// Reverse order: refund before giving the stock back.
    private func compensate(_ compensations: OrderCompensations) async throws {
        for compensation in compensations.inReverse {
            switch compensation {
            case .refundPayment: try await steps.refundPayment(orderId)
            case .releaseInventory: try await steps.releaseInventory(orderId)
            }
        }
    }

    // The two helpers below are synchronous and never inlined: what they build (log metadata, messages) then lives
    // on the thread's stack, not in run()'s async frame, which every suspended run holds for its whole life.
    @inline(never) private func completed(total: Money, transactionId: String) -> OrderWorkflowResult {
        Workflow.logger.info("order completed", metadata: ["order_id": "\(orderId)", "total": "\(total)"])
        return .completed(orderId: orderId, total: total, transactionId: transactionId)
    }

    @inline(never) private func completedNotice(total: Money) -> SendNotificationInput {
        SendNotificationInput(
            orderId: orderId, customerId: order.customerId, kind: .orderCompleted,
            message: "Your order \(orderId) is confirmed: \(total) charged.", reason: nil)
    }
}
