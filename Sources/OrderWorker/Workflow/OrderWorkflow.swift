import OrderCore
import TemporalBridge

/// The `OrderWorkflow` workflow type: CreateOrder → CheckInventory → ScreenFraud →
/// ProcessPayment → SendNotification, with the `getStatus` query, the `cancelOrder` signal and
/// compensation.
struct OrderWorkflow: Sendable {
    /// The patch that added ScreenFraud. Runs started before it keep the old path; once none is
    /// left, `Workflow.deprecatePatch` replaces the call, and later the call goes.
    static let fraudScreenPatch = "fraud-screen"

    let steps: OrderSteps
    /// False = the build from before the fraud screen (FRAUD_SCREEN=off): the patch is never
    /// reached, exactly as that code ran.
    let fraudScreen: Bool

    init(settings: ActivitySettings, fraudScreen: Bool = true) {
        steps = OrderSteps(options: OrderActivityOptions(settings: settings))
        self.fraudScreen = fraudScreen
    }

    var definition: WorkflowDefinition {
        WorkflowDefinition(name: OrderWorkflowContract.workflowType) { (received: ReceivedOrderWorkflowInput?) in
            try await run(ReceivedOrderWorkflowInput.order(from: received))
        }
    }

    func run(_ input: OrderWorkflowInput) async throws -> OrderWorkflowResult {
        // Decided at the start, so an order keeps the path of the build that started it: a run
        // begun before the upgrade replays without the marker and never screens, even when a new
        // worker carries it past CheckInventory.
        let screensFraud = fraudScreen && Workflow.patched(Self.fraudScreenPatch)
        let order = input.order(workflowId: Workflow.info.workflowId)
        let state = OrderWorkflowState(order: order)
        state.registerHandlers()
        let process = OrderProcess(order: order, steps: steps, state: state, screensFraud: screensFraud)
        // Shielded from Temporal's cancellation: a cancel request, like the cancelOrder signal,
        // takes effect when the activity in flight returns, so compensation never races a step
        // that is still running on some worker.
        return try await Workflow.nonCancellable { try await process.run() }
    }
}
