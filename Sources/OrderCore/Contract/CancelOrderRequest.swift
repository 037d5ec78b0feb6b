/// The optional payload of the `cancelOrder` signal: `{"reason": "..."}`.
public struct CancelOrderRequest: Codable, Sendable, Hashable {
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}
