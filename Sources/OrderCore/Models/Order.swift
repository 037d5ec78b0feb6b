import Foundation

/// An order row: where the order stands and which workflow run drives it.
public struct Order: Sendable, Codable, Hashable {
    public var id: String
    public var customerId: String
    public var status: OrderStatus
    /// Computed from catalog prices once the order is created; nil while still `pending`.
    public var total: Money?
    public var failureReason: String?
    public var workflowId: String?
    public var runId: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, customerId: String, status: OrderStatus, total: Money? = nil,
        failureReason: String? = nil, workflowId: String? = nil, runId: String? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.customerId = customerId
        self.status = status
        self.total = total
        self.failureReason = failureReason
        self.workflowId = workflowId
        self.runId = runId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case customerId = "customer_id"
        case status
        case total
        case failureReason = "failure_reason"
        case workflowId = "workflow_id"
        case runId = "run_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
