import OrderCore
import TemporalBridge

/// The `OrderWorkflow` workflow type: CreateOrder → CheckInventory → ProcessPayment →
/// SendNotification, with the `getStatus` query, the `cancelOrder` signal and compensation.
struct OrderWorkflow: Sendable {
    static let name = "OrderWorkflow"
    static let statusQuery = "getStatus"
    static let cancelSignal = "cancelOrder"

    let steps: OrderSteps

    init(settings: ActivitySettings) {
        steps = OrderSteps(options: OrderActivityOptions(settings: settings))
    }

    var definition: WorkflowDefinition {
        WorkflowDefinition(name: Self.name) { (received: ReceivedOrderWorkflowInput?) in
            try await run(ReceivedOrderWorkflowInput.order(from: received))
        }
    }

    func run(_ input: OrderWorkflowInput) async throws -> OrderWorkflowResult {
        let order = input.order(workflowId: Workflow.info.workflowId)
        let state = OrderWorkflowState(orderId: order.orderId)
        state.registerHandlers()
        let process = OrderProcess(order: order, steps: steps, state: state)
        // Shielded from Temporal's cancellation: a cancel request, like the cancelOrder signal,
        // takes effect when the activity in flight returns, so compensation never races a step
        // that is still running on some worker.
        return try await Workflow.nonCancellable { try await process.run() }
    }
}
