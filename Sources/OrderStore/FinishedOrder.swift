import OrderCore

/// What `OrderStore.finishOrder` did.
public struct FinishedOrder: Sendable, Equatable {
    /// The order's status now; nil when the order has no row.
    public var status: OrderStatus?
    /// True when this call recorded the final notification (false for a retry or a duplicate).
    public var isFirstNotice: Bool

    public init(status: OrderStatus?, isFirstNotice: Bool) {
        self.status = status
        self.isFirstNotice = isFirstNotice
    }
}
