import OrderCore
import TemporalBridge

/// The `OrderWorkflow` workflow type: CreateOrder → CheckInventory → ScreenFraud →
/// ProcessPayment → SendNotification, with the `getStatus` query, the `cancelOrder` signal and
/// compensation.
struct OrderWorkflow: Sendable {
    /// The patch that added ScreenFraud. Runs started before it keep the old path; once none is
    /// left, `Workflow.deprecatePatch` replaces the call, and later the call goes.
    static let fraudScreenPatch = "fraud-screen"
    /// The patch that runs CreateOrder and CheckInventory as local activities (LOCAL_ACTIVITIES=on).
    static let localActivitiesPatch = "local-activities"

    let steps: OrderSteps
    /// False = the build from before the fraud screen (FRAUD_SCREEN=off): the patch is never
    /// reached, exactly as that code ran.
    let fraudScreen: Bool
    /// LOCAL_ACTIVITIES: new runs take the `local-activities` patch.
    let localActivities: Bool

    init(settings: ActivitySettings, fraudScreen: Bool = true) {
        steps = OrderSteps(options: OrderActivityOptions(settings: settings))
        self.fraudScreen = fraudScreen
        self.localActivities = settings.localActivities
    }

    var definition: WorkflowDefinition {
        // A cancel request, like the cancelOrder signal, takes effect when the activity in flight returns, so
        // compensation never races a step that is still running on some worker: nothing is cancelled under the code.
        WorkflowDefinition(name: OrderWorkflowContract.workflowType, cancellation: .requestOnly) {
            (received: ReceivedOrderWorkflowInput?) in
            try await run(ReceivedOrderWorkflowInput.order(from: received))
        }
    }

    func run(_ input: OrderWorkflowInput) async throws -> OrderWorkflowResult {
        try await process(input).run()
    }

    /// Synchronous and never inlined, so what the set-up builds (the patch answers, the handlers) lives on the
    /// thread's stack, not in `run`'s async frame, which a suspended run holds for its whole life.
    @inline(never) private func process(_ input: OrderWorkflowInput) -> OrderProcess {
        // Decided at the start, so an order keeps the path of the build that started it: a run
        // begun before the upgrade replays without the marker and never screens, even when a new
        // worker carries it past CheckInventory.
        let screensFraud = fraudScreen && Workflow.patched(Self.fraudScreenPatch)
        var steps = self.steps
        // Also decided at the start: the setting picks the path of new runs only. A worker with it
        // off still carries on a run begun with it on (the marker says so) and never writes one.
        steps.runsDatabaseStepsLocally =
            localActivities
            ? Workflow.patched(Self.localActivitiesPatch) : Workflow.patchedInHistory(Self.localActivitiesPatch)
        let order = input.order(workflowId: Workflow.info.workflowId)
        let state = OrderWorkflowState(order: order)
        state.registerHandlers()
        return OrderProcess(order: order, steps: steps, state: state, screensFraud: screensFraud)
    }
}
