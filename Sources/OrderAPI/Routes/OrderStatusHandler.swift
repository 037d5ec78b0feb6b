import Hummingbird
import Logging
import OpsHTTP
import OrderCore

/// `GET /api/orders/{id}/status`: the live `getStatus` answer while the workflow runs
/// (`source: workflow`), the database row otherwise (`source: database`). Either source
/// being down is tolerated as long as the other one knows the order.
struct OrderStatusHandler: Sendable {
    let services: APIServices

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try OrderIdPath.get(context)
        let gateway = services.gateway
        let repository = services.repository
        async let liveResult = Self.capture { try await gateway.status(orderId: id) }
        // The row alone: the status answer needs nothing of the items, payment or notifications.
        async let storedResult = Self.capture { try await repository.orderSummary(id: id) }
        let (live, stored) = await (liveResult, storedResult)

        let record = try? stored.get()
        if case .success(let snapshot?) = live {
            return try JSONResponse.make(
                OrderStatusResponse(
                    orderId: id, status: snapshot.status.rawValue, step: snapshot.step, attempt: snapshot.attempt,
                    failureReason: snapshot.failureReason, updatedAt: record?.updatedAt, source: .workflow
                )
            )
        }
        if let order = record {
            return try JSONResponse.make(
                OrderStatusResponse(
                    orderId: id, status: order.status.rawValue, step: nil, attempt: nil,
                    failureReason: order.failureReason, updatedAt: order.updatedAt, source: .database
                )
            )
        }
        if case .failure(let error) = live, case .failure(let dbError) = stored {
            context.logger.warning("Status unavailable", metadata: ["temporal": "\(error)", "database": "\(dbError)"])
            throw ProblemDetails(
                .serviceUnavailable, status: .serviceUnavailable,
                detail: "Neither Temporal nor the database could be asked about this order.",
                headers: [.retryAfter: "5"]
            )
        }
        throw ProblemDetails.orderNotFound(id)
    }

    private static func capture<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
