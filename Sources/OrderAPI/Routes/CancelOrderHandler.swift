import Hummingbird
import OpsHTTP
import OrderCore

/// `POST /api/orders/{id}/cancel` with optional `{"reason": "..."}`: signals `cancelOrder`
/// to the running workflow. 404 when nobody knows the order, 409 (with the order's final status as
/// `order_status`) when it has finished, also when it finishes while the cancel is on its way.
struct CancelOrderHandler: Sendable {
    let services: APIServices

    static let maxReasonLength = 500

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try OrderIdPath.get(context)
        var request = request
        let reason = try Self.reason(from: try await RequestBody.collectJSON(&request, optional: true))

        // Both are only shortcuts to a precise 409, asked together: a query needs a worker, a signal does not,
        // so an unanswered query must not stop the cancellation; with the database down the signal can still go.
        let gateway = services.gateway
        let repository = services.repository
        async let liveAnswer = try? gateway.status(orderId: id)
        async let storedAnswer = try? repository.orderSummary(id: id)
        let (live, stored) = await (liveAnswer, storedAnswer)

        if let live, live.status.isTerminal {
            throw Self.conflict(id, live.status)
        }
        if live == nil, let stored, stored.status.isTerminal {
            throw Self.conflict(id, stored.status)
        }

        do {
            try await gateway.cancel(orderId: id, reason: reason)
        } catch OrderWorkflowGatewayError.notFound {
            // The workflow closed before the signal arrived, or never ran: answer with what the order is now.
            guard let now = (try? await repository.orderSummary(id: id)) ?? stored else {
                throw ProblemDetails.orderNotFound(id)
            }
            throw Self.conflict(id, now.status)
        } catch let error as OrderWorkflowGatewayError {
            throw ProblemDetails.temporalUnavailable(CreateOrderHandler.describe(error))
        }
        // The signal reached a running workflow, but an order that completed (or failed) meanwhile ignores it:
        // its last step was already under way. Then the cancel did nothing, and says so.
        if let now = try? await repository.orderSummary(id: id), now.status == .completed || now.status == .failed {
            throw Self.conflict(id, now.status)
        }
        context.logger.info("Cancellation requested", metadata: ["order_id": .string(id)])
        return try JSONResponse.make(CancelOrderResponse(orderId: id, status: "cancelling"), status: .accepted)
    }

    /// 409 `order-already-terminal` naming the order's status (`order_status`). A row that is not terminal has no
    /// running workflow left to signal (it was terminated, or never started).
    static func conflict(_ id: String, _ status: OrderStatus) -> ProblemDetails {
        let detail =
            status.isTerminal
            ? "Order '\(id)' is already \(status.rawValue) and can no longer be cancelled."
            : "Order '\(id)' is \(status.rawValue) but no workflow runs for it any more; it cannot be cancelled."
        return ProblemDetails(
            .orderAlreadyTerminal, status: .conflict, detail: detail,
            extensions: ["order_status": .string(status.rawValue)])
    }

    /// An empty body means no reason; otherwise a JSON object whose optional `reason`
    /// is a string of at most 500 characters.
    static func reason(from body: [UInt8]) throws -> String? {
        guard !body.isEmpty else { return nil }
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw ProblemDetails(
                .malformedJSON, status: .badRequest, detail: "The body is not valid JSON: \(error.description)",
                errors: [FieldError(field: "body", message: "is not valid JSON")]
            )
        }
        guard case .object(let fields) = document else {
            throw ProblemDetails.invalidField("body", "must be a JSON object, not \(document.kindName)")
        }
        let reason: String
        switch fields["reason"] {
        case nil, .null?: return nil
        case .string(let text)?: reason = text
        case let other?: throw ProblemDetails.invalidField("reason", "must be a string, not \(other.kindName)")
        }
        guard reason.count <= maxReasonLength else {
            throw ProblemDetails.invalidField("reason", "must be at most \(maxReasonLength) characters")
        }
        return reason.isEmpty ? nil : reason
    }
}
