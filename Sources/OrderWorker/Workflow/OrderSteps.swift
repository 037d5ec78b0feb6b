import OrderCore
import TemporalBridge

/// Typed calls of the order activities from workflow code, by their documented names.
///
/// Each step gives the Web UI a one-line summary of what it does to this order, and passes its
/// caller's `#fileID`/`#line` on, so the stack trace names the line in `OrderProcess` that waits
/// rather than this file.
///
/// The steps are never inlined: a step's async frame (its input, summary, options) then exists only while the step
/// runs, instead of being part of `OrderProcess.run`'s frame, which every suspended run holds for its whole life.
struct OrderSteps: Sendable {
    let options: OrderActivityOptions
    /// The run's `local-activities` patch answer: CreateOrder and CheckInventory (database only,
    /// short, idempotent) run as local activities; payment and compensations stay remote.
    var runsDatabaseStepsLocally = false

    @inline(never) func createOrder(_ order: OrderInput, file: StaticString = #fileID, line: UInt = #line) async throws
        -> CreateOrderResult
    {
        let input = Self.createOrderInput(order)
        if runsDatabaseStepsLocally {
            return try await Workflow.executeLocalActivity(
                ActivityName.createOrder.rawValue, input: input, options: options.localStep,
                summary: OrderSummaries.createOrder(order), file: file, line: line)
        }
        return try await Workflow.executeActivity(
            ActivityName.createOrder.rawValue, input: input, options: options.step,
            summary: OrderSummaries.createOrder(order), file: file, line: line)
    }

    /// Synchronous and never inlined, so the run's `WorkflowInfo` is read on the thread's stack, not copied into
    /// `createOrder`'s async frame.
    @inline(never) private static func createOrderInput(_ order: OrderInput) -> CreateOrderInput {
        let info = Workflow.info
        return CreateOrderInput(order: order, workflowId: info.workflowId, runId: info.runId)
    }

    @inline(never) func checkInventory(_ order: OrderInput, file: StaticString = #fileID, line: UInt = #line)
        async throws
    {
        if runsDatabaseStepsLocally {
            let _: CheckInventoryResult = try await Workflow.executeLocalActivity(
                ActivityName.checkInventory.rawValue, input: OrderReference(orderId: order.orderId),
                options: options.localStep, summary: OrderSummaries.checkInventory(order), file: file, line: line)
            return
        }
        let _: CheckInventoryResult = try await Workflow.executeActivity(
            ActivityName.checkInventory.rawValue, input: OrderReference(orderId: order.orderId),
            options: options.step, summary: OrderSummaries.checkInventory(order), file: file, line: line)
    }

    @inline(never) func screenFraud(
        _ order: OrderInput, amount: Money, file: StaticString = #fileID, line: UInt = #line
    )
        async throws
    {
        let input = ScreenFraudInput(orderId: order.orderId, customerId: order.customerId, amount: amount)
        let _: ScreenFraudResult = try await Workflow.executeActivity(
            ActivityName.screenFraud.rawValue, input: input, options: options.step,
            summary: OrderSummaries.screenFraud(order, amount: amount), file: file, line: line)
    }

    @inline(never) func processPayment(
        _ orderId: String, amount: Money, file: StaticString = #fileID, line: UInt = #line
    )
        async throws -> ProcessPaymentResult
    {
        try await Workflow.executeActivity(
            ActivityName.processPayment.rawValue, input: ProcessPaymentInput(orderId: orderId, amount: amount),
            options: options.step, summary: OrderSummaries.processPayment(orderId, amount: amount),
            file: file, line: line)
    }

    /// The completion notification is a forward step; failure and cancellation notices are
    /// part of compensation and retried until they land.
    @inline(never) func sendNotification(
        _ notification: SendNotificationInput, file: StaticString = #fileID, line: UInt = #line
    ) async throws {
        let options = notification.kind == .orderCompleted ? options.step : options.compensation
        let _: SendNotificationResult = try await Workflow.executeActivity(
            ActivityName.sendNotification.rawValue, input: notification, options: options,
            summary: OrderSummaries.sendNotification(notification), file: file, line: line)
    }

    @inline(never) func releaseInventory(_ orderId: String, file: StaticString = #fileID, line: UInt = #line)
        async throws
    {
        let _: ReleaseInventoryResult = try await Workflow.executeActivity(
            ActivityName.releaseInventory.rawValue, input: OrderReference(orderId: orderId),
            options: options.compensation, summary: OrderSummaries.releaseInventory(orderId), file: file, line: line)
    }

    @inline(never) func refundPayment(_ orderId: String, file: StaticString = #fileID, line: UInt = #line) async throws
    {
        let _: RefundPaymentResult = try await Workflow.executeActivity(
            ActivityName.refundPayment.rawValue, input: OrderReference(orderId: orderId),
            options: options.compensation, summary: OrderSummaries.refundPayment(orderId), file: file, line: line)
    }
}
