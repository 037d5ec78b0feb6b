import Foundation
import Hummingbird
import OrderCore

/// `POST /api/orders/{id}/cancel` with optional `{"reason": "..."}`: signals `cancelOrder`
/// to the running workflow. 404 when nobody knows the order, 409 when it has finished.
struct CancelOrderHandler: Sendable {
    let services: APIServices

    static let maxReasonLength = 500

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try OrderIdPath.get(context)
        var request = request
        let reason = try Self.reason(from: try await RequestBody.collectJSON(&request, optional: true))

        // The live status is only a shortcut to a precise 409: a query needs a worker, a
        // signal does not, so an unanswered query must not stop the cancellation.
        let live = try? await services.gateway.status(orderId: id)
        // Likewise the row: with the database down the signal can still be delivered.
        let stored = (try? await services.repository.order(id: id))?.order

        if let live, OrderStatus(rawValue: live.status)?.isTerminal == true {
            throw Self.alreadyTerminal(id, live.status)
        }
        if live == nil, let stored, stored.status.isTerminal {
            throw Self.alreadyTerminal(id, stored.status.rawValue)
        }

        do {
            try await services.gateway.cancel(orderId: id, reason: reason)
        } catch OrderWorkflowGatewayError.notFound {
            // The workflow closed between the query and the signal, or never ran.
            guard let stored else { throw ProblemDetails.orderNotFound(id) }
            throw Self.alreadyTerminal(id, stored.status.rawValue)
        } catch let error as OrderWorkflowGatewayError {
            throw ProblemDetails.temporalUnavailable(CreateOrderHandler.describe(error))
        }
        context.logger.info("Cancellation requested", metadata: ["order_id": .string(id)])
        return try JSONResponse.make(CancelOrderResponse(orderId: id, status: "cancelling"), status: .accepted)
    }

    static func alreadyTerminal(_ id: String, _ status: String) -> ProblemDetails {
        ProblemDetails(
            .orderAlreadyTerminal, status: .conflict,
            detail: "Order '\(id)' is already \(status) and can no longer be cancelled.")
    }

    /// An empty body means no reason; otherwise a JSON object whose optional `reason`
    /// is a string of at most 500 characters.
    static func reason(from body: [UInt8]) throws -> String? {
        guard !body.isEmpty else { return nil }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw ProblemDetails(
                .malformedJSON, status: .badRequest, detail: "The body is not valid JSON.",
                errors: [FieldError(field: "body", message: "is not valid JSON")]
            )
        }
        guard let fields = object as? [String: Any] else {
            throw ProblemDetails.invalidField("body", "must be a JSON object")
        }
        guard let value = fields["reason"], !(value is NSNull) else { return nil }
        guard let reason = value as? String else {
            throw ProblemDetails.invalidField("reason", "must be a string")
        }
        guard reason.count <= maxReasonLength else {
            throw ProblemDetails.invalidField("reason", "must be at most \(maxReasonLength) characters")
        }
        return reason.isEmpty ? nil : reason
    }
}
