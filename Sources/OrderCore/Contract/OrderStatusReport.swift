/// The `getStatus` query's answer: `{"order_id", "status", "step", "attempt", "failure_reason"}`,
/// every key always present (null when unknown).
public struct OrderStatusReport: Codable, Sendable, Hashable {
    public var orderId: String
    public var status: OrderStatus
    /// The activity in flight, or the last one done; null before the first is scheduled.
    public var step: String?
    /// Attempt of that activity as far as history tells (1 until a retry is recorded).
    public var attempt: Int
    public var failureReason: String?

    public init(orderId: String, status: OrderStatus, step: String?, attempt: Int, failureReason: String?) {
        self.orderId = orderId
        self.status = status
        self.step = step
        self.attempt = attempt
        self.failureReason = failureReason
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status, step, attempt
        case failureReason = "failure_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(status, forKey: .status)
        try container.encode(step, forKey: .step)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(failureReason, forKey: .failureReason)
    }
}
