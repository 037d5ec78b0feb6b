import OrderCore

/// Where the worker announces order status changes. Best effort by contract: `publish` never
/// throws, so a feed outage can never fail the activity that made the change.
public protocol OrderStatusPublisher: Sendable {
    func publish(_ change: OrderStatusChange) async
}

/// The publisher when no feed is configured (no REDIS_URL).
public struct NoStatusPublisher: OrderStatusPublisher {
    public init() {}
    public func publish(_ change: OrderStatusChange) async {}
}
