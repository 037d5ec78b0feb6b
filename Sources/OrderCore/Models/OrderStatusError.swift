/// An order status change that the lifecycle does not allow.
public enum OrderStatusError: Error, Sendable, Equatable, CustomStringConvertible {
    case illegalTransition(from: OrderStatus, to: OrderStatus)

    public var description: String {
        switch self {
        case .illegalTransition(let from, let to):
            "illegal order status transition \(from.rawValue) → \(to.rawValue)"
        }
    }
}
