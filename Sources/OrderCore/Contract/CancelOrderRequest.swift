/// The optional payload of the `cancelOrder` signal: `{"reason": "..."}`.
struct CancelOrderRequest: Codable, Sendable, Hashable {
    var reason: String?
}
