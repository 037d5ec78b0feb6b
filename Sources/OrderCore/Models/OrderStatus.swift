/// The lifecycle of an order:
/// `pending` → `created` → `inventory_reserved` → `payment_processed` → `completed`,
/// and from any non-terminal status to `cancelled` or `failed`.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case created
    case inventoryReserved = "inventory_reserved"
    case paymentProcessed = "payment_processed"
    case completed
    case cancelled
    case failed

    public var isTerminal: Bool {
        switch self {
        case .completed, .cancelled, .failed: true
        case .pending, .created, .inventoryReserved, .paymentProcessed: false
        }
    }

    /// The status that follows this one on the happy path, if any.
    public var nextOnSuccess: OrderStatus? {
        switch self {
        case .pending: .created
        case .created: .inventoryReserved
        case .inventoryReserved: .paymentProcessed
        case .paymentProcessed: .completed
        case .completed, .cancelled, .failed: nil
        }
    }

    /// Whether an order in this status may move to `next`. Staying in the same status is allowed
    /// because activities are retried and redelivered: repeating a step must be a no-op, not an error.
    public func canTransition(to next: OrderStatus) -> Bool {
        if next == self { return true }
        if isTerminal { return false }
        if next == .cancelled || next == .failed { return true }
        return nextOnSuccess == next
    }

    public func transitioned(to next: OrderStatus) throws(OrderStatusError) -> OrderStatus {
        guard canTransition(to: next) else { throw .illegalTransition(from: self, to: next) }
        return next
    }
}
