import Foundation
import OrderCore

/// The one-line summaries the Web UI shows for each scheduled order activity
/// (`user_metadata.summary`), e.g. "charge 2,599.98 for ord-42".
enum OrderSummaries {
    static func createOrder(_ order: OrderInput) -> String {
        "create order \(order.orderId) for \(order.customerId): \(items(order.items))"
    }

    static func checkInventory(_ order: OrderInput) -> String {
        "reserve stock for \(order.orderId): \(items(order.items))"
    }

    static func screenFraud(_ order: OrderInput, amount: Money) -> String {
        "screen \(amount.displayText) from \(order.customerId) for \(order.orderId)"
    }

    static func processPayment(_ orderId: String, amount: Money) -> String {
        "charge \(amount.displayText) for \(orderId)"
    }

    static func sendNotification(_ notification: SendNotificationInput) -> String {
        let recipient = notification.customerId.map { " \($0)" } ?? ""
        return "notify\(recipient): \(notification.kind.rawValue.replacingOccurrences(of: "_", with: " ")) "
            + "(\(notification.orderId))"
    }

    static func releaseInventory(_ orderId: String) -> String {
        "give back the stock reserved for \(orderId)"
    }

    static func refundPayment(_ orderId: String) -> String {
        "refund the payment of \(orderId)"
    }

    /// "2 × PROD-001, 1 × PROD-005" (product ids: the names in the input are not authoritative).
    static func items(_ items: [OrderItem]) -> String {
        let shown = items.prefix(5).map { "\($0.quantity) × \($0.productId)" }
        let more = items.count > 5 ? ", +\(items.count - 5) more" : ""
        return shown.joined(separator: ", ") + more
    }
}
