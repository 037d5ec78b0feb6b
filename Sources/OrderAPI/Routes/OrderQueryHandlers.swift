import Hummingbird
import OpsHTTP
import OrderCore

/// `GET /api/orders/{id}` and `GET /api/orders?status=&limit=&cursor=`.
struct OrderQueryHandlers: Sendable {
    let services: APIServices

    static let defaultLimit = 20
    static let limitRange = 1...100

    func detail(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try OrderIdPath.get(context)
        guard let record = try await services.repository.order(id: id) else {
            throw ProblemDetails.orderNotFound(id)
        }
        return try JSONResponse.make(OrderDetailBody(detail: record))
    }

    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = try ListQuery(request.uri.queryParameters)
        let page: OrderPage
        do {
            page = try await services.repository.listOrders(
                status: query.status, limit: query.limit, cursor: query.cursor)
        } catch OrderRepositoryError.invalidCursor {
            throw ProblemDetails.invalidField("cursor", "is not a cursor returned by this API")
        }
        return try JSONResponse.make(
            OrderListResponse(orders: page.orders.map(OrderSummaryBody.init), nextCursor: page.nextCursor))
    }

    /// The list's query parameters, each checked and named when wrong (all at once).
    struct ListQuery {
        var status: OrderStatus?
        var limit = OrderQueryHandlers.defaultLimit
        var cursor: String?

        init(_ parameters: Parameters) throws {
            var errors: [FieldError] = []
            if let raw = parameters.get("status") {
                if let status = OrderStatus(rawValue: raw) {
                    self.status = status
                } else {
                    let allowed = OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(FieldError(field: "status", message: "must be one of: \(allowed)"))
                }
            }
            if let raw = parameters.get("limit") {
                if let limit = Int(raw), OrderQueryHandlers.limitRange.contains(limit) {
                    self.limit = limit
                } else {
                    errors.append(FieldError(field: "limit", message: "must be an integer from 1 to 100"))
                }
            }
            if let raw = parameters.get("cursor") {
                if raw.isEmpty || raw.utf8.count > 512 {
                    errors.append(FieldError(field: "cursor", message: "is not a cursor returned by this API"))
                } else {
                    self.cursor = raw
                }
            }
            if !errors.isEmpty {
                throw ProblemDetails.invalid(
                    errors, detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
            }
        }
    }
}
