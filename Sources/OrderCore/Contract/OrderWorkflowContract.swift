/// The names under which worker and API meet in Temporal (docs/workflow.md): the workflow type, its query and
/// its signal. The payloads are the types beside this file: `OrderWorkflowInput` (or `OrderInput`, which
/// encodes the same), `OrderWorkflowResult`, `OrderStatusReport` and `CancelOrderRequest`.
public enum OrderWorkflowContract {
    public static let workflowType = "OrderWorkflow"
    /// Answered with an `OrderStatusReport`.
    public static let statusQuery = "getStatus"
    /// Carries an optional `CancelOrderRequest`.
    public static let cancelSignal = "cancelOrder"
}
