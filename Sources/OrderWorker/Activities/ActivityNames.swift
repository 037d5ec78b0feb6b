/// The activity type names of docs/workflow.md; clients and the Web UI see these.
enum ActivityName: String, CaseIterable, Sendable {
    case createOrder = "CreateOrder"
    case checkInventory = "CheckInventory"
    /// Behind the `fraud-screen` patch: runs only in orders started by a build with the screen.
    case screenFraud = "ScreenFraud"
    case processPayment = "ProcessPayment"
    case sendNotification = "SendNotification"
    case releaseInventory = "ReleaseInventory"
    case refundPayment = "RefundPayment"
}
