import OrderCore

/// The `getStatus` query's answer: `{"order_id", "status", "step", "attempt", "failure_reason"}`,
/// every key always present (null when unknown).
struct OrderStatusReport: Codable, Sendable, Hashable {
    var orderId: String
    var status: OrderStatus
    /// The activity in flight, or the last one done; null before the first is scheduled.
    var step: String?
    /// Attempt of that activity as far as history tells (1 until a retry is recorded).
    var attempt: Int
    var failureReason: String?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case status, step, attempt
        case failureReason = "failure_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(status, forKey: .status)
        try container.encode(step, forKey: .step)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(failureReason, forKey: .failureReason)
    }
}
