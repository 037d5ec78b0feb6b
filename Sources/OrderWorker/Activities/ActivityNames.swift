/// The activity type names of docs/workflow.md; clients and the Web UI see these.
enum ActivityName: String, CaseIterable, Sendable {
    case createOrder = "CreateOrder"
    case checkInventory = "CheckInventory"
    case processPayment = "ProcessPayment"
    case sendNotification = "SendNotification"
    case releaseInventory = "ReleaseInventory"
    case refundPayment = "RefundPayment"
}
