import OrderCore
import TemporalBridge

/// Typed calls of the order activities from workflow code, by their documented names.
struct OrderSteps: Sendable {
    let options: OrderActivityOptions

    func createOrder(_ order: OrderInput) async throws -> CreateOrderResult {
        let input = CreateOrderInput(order: order, workflowId: Workflow.info.workflowId, runId: Workflow.info.runId)
        return try await Workflow.executeActivity(
            ActivityName.createOrder.rawValue, input: input, options: options.step)
    }

    func checkInventory(_ orderId: String) async throws {
        let _: CheckInventoryResult = try await Workflow.executeActivity(
            ActivityName.checkInventory.rawValue, input: OrderReference(orderId: orderId), options: options.step)
    }

    func screenFraud(_ order: OrderInput, amount: Money) async throws {
        let input = ScreenFraudInput(orderId: order.orderId, customerId: order.customerId, amount: amount)
        let _: ScreenFraudResult = try await Workflow.executeActivity(
            ActivityName.screenFraud.rawValue, input: input, options: options.step)
    }

    func processPayment(_ orderId: String, amount: Money) async throws -> ProcessPaymentResult {
        try await Workflow.executeActivity(
            ActivityName.processPayment.rawValue, input: ProcessPaymentInput(orderId: orderId, amount: amount),
            options: options.step)
    }

    /// The completion notification is a forward step; failure and cancellation notices are
    /// part of compensation and retried until they land.
    func sendNotification(_ notification: SendNotificationInput) async throws {
        let options = notification.kind == .orderCompleted ? options.step : options.compensation
        let _: SendNotificationResult = try await Workflow.executeActivity(
            ActivityName.sendNotification.rawValue, input: notification, options: options)
    }

    func releaseInventory(_ orderId: String) async throws {
        let _: ReleaseInventoryResult = try await Workflow.executeActivity(
            ActivityName.releaseInventory.rawValue, input: OrderReference(orderId: orderId),
            options: options.compensation)
    }

    func refundPayment(_ orderId: String) async throws {
        let _: RefundPaymentResult = try await Workflow.executeActivity(
            ActivityName.refundPayment.rawValue, input: OrderReference(orderId: orderId), options: options.compensation)
    }
}
