/// A business failure raised by the store or an activity. Retrying cannot fix it, so the worker
/// reports it as a non-retryable ApplicationFailure whose type is `type.rawValue`.
public struct OrderBusinessError: Error, Sendable, Equatable, CustomStringConvertible {
    public var type: OrderFailureType
    public var message: String

    public init(type: OrderFailureType, message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "\(type.rawValue): \(message)" }
}
