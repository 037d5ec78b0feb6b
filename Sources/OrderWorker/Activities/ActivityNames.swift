/// The activity type names of DESIGN's workflow section; clients and the Web UI see these.
enum ActivityName: String, CaseIterable, Sendable {
    case createOrder = "CreateOrder"
    case checkInventory = "CheckInventory"
    case processPayment = "ProcessPayment"
    case sendNotification = "SendNotification"
    case releaseInventory = "ReleaseInventory"
    case refundPayment = "RefundPayment"
}
