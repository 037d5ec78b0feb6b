import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import OpsHTTP
import OrderCore

/// `POST /api/orders`: validate, then start the workflow (Temporal's workflow-id uniqueness
/// makes a repeated order_id / Idempotency-Key answer 200 with the existing order instead
/// of a second workflow) while recording the order as `pending`, so it is known right away.
struct CreateOrderHandler: Sendable {
    let services: APIServices
    let ordersCreated = Counter(label: "orderflow_orders_created_total")

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBody.collectJSON(&request)
        let orderRequest = try Self.parse(body)
        let idempotencyKey = try Self.idempotencyKey(request)

        let orderId =
            orderRequest.orderId
            ?? idempotencyKey.map { IdempotencyKey.orderId(key: $0, customerId: orderRequest.customerId) }
            ?? "ord-\(UUID.random().uuidString.lowercased())"
        let input = orderRequest.input(withGeneratedId: orderId)

        // The pending row is written while Temporal starts the workflow (its id is the order id, known up front):
        // a create waits for one round trip, not two.
        async let recordedPending = recordPending(input, logger: context.logger)
        let outcome: StartOutcome
        do {
            outcome = try await services.gateway.start(input: input, requestId: UUID.random().uuidString.lowercased())
        } catch let error as OrderWorkflowGatewayError {
            context.logger.warning(
                "Workflow start failed", metadata: ["order_id": .string(orderId), "error": "\(error)"])
            // Only the row this request wrote, and only if no workflow runs under the id after all (a start that
            // timed out may have gone through). A duplicate whose start succeeded has claimed the row meanwhile,
            // which the discard respects.
            if await recordedPending == .inserted, await !workflowMayExist(orderId, logger: context.logger) {
                await discardPending(orderId, logger: context.logger)
            }
            throw ProblemDetails.temporalUnavailable(Self.describe(error))
        }
        let pending = await recordedPending
        var stored: OrderStatus?
        if pending == .existed {
            // Another request wrote the row; its start may yet fail and take the row back. Claim it with this run.
            stored = await claimPending(input, outcome: outcome, logger: context.logger)
        }
        if outcome.alreadyExisted {
            if stored == nil { stored = try? await services.repository.orderSummary(id: orderId)?.status }
            let status = (stored ?? .pending).rawValue
            context.logger.info("Order already exists", metadata: ["order_id": .string(orderId)])
            return try JSONResponse.make(
                CreateOrderResponse(
                    orderId: orderId, workflowId: outcome.workflowId, runId: outcome.runId, status: status),
                status: .ok
            )
        }
        ordersCreated.increment()
        context.logger.info(
            "Order accepted", metadata: ["order_id": .string(orderId), "run_id": .string(outcome.runId)])
        return try JSONResponse.make(
            CreateOrderResponse(
                orderId: orderId, workflowId: outcome.workflowId, runId: outcome.runId,
                status: OrderStatus.pending.rawValue),
            status: .created,
            headers: [.location: "/api/orders/\(orderId)"]
        )
    }

    /// What writing the pending row came to.
    enum PendingRow: Sendable, Equatable {
        /// This request inserted it.
        case inserted
        /// The order was known already: another request (a duplicate) wrote it.
        case existed
        /// The database did not answer.
        case failed
    }

    /// The workflow is the source of truth once started; a database hiccup here only delays the row until the
    /// worker's first step writes it, so it is logged, not fatal.
    private func recordPending(_ input: OrderInput, logger: Logger) async -> PendingRow {
        do {
            let inserted = try await services.repository.recordPendingOrder(
                orderId: input.orderId, customerId: input.customerId)
            return inserted ? .inserted : .existed
        } catch {
            logger.warning(
                "Could not record accepted order", metadata: ["order_id": .string(input.orderId), "error": "\(error)"])
            return .failed
        }
    }

    /// Records this request's run on a row another request wrote (and writes the row again if that request,
    /// its own start failed, already took it back while this one started the workflow). Returns the stored status.
    private func claimPending(_ input: OrderInput, outcome: StartOutcome, logger: Logger) async -> OrderStatus? {
        do {
            return try await services.repository.claimPendingOrder(
                orderId: input.orderId, customerId: input.customerId, runId: outcome.runId,
                insertIfMissing: !outcome.alreadyExisted)
        } catch {
            logger.warning(
                "Could not claim the order row", metadata: ["order_id": .string(input.orderId), "error": "\(error)"])
            return nil
        }
    }

    /// After a failed start: false only when Temporal says no workflow has the id. Unreachable counts as no
    /// workflow (the start most likely never arrived); the worker's first step rewrites a row taken back wrongly.
    private func workflowMayExist(_ orderId: String, logger: Logger) async -> Bool {
        do {
            return try await services.gateway.workflowExists(orderId: orderId)
        } catch {
            logger.debug(
                "Could not check for the workflow", metadata: ["order_id": .string(orderId), "error": "\(error)"])
            return false
        }
    }

    /// A refused create changes nothing: the row written alongside the failed start goes again (unless claimed).
    private func discardPending(_ orderId: String, logger: Logger) async {
        do {
            try await services.repository.discardPendingOrder(orderId: orderId)
        } catch {
            logger.warning(
                "Could not remove the pending row of a refused order",
                metadata: ["order_id": .string(orderId), "error": "\(error)"])
        }
    }

    static func parse(_ body: [UInt8]) throws -> OrderRequest {
        switch OrderRequestParser.parse(body) {
        case .success(let request):
            return request
        case .failure(.malformedJSON(let message)):
            throw ProblemDetails(
                .malformedJSON, status: .badRequest, detail: "The body is not valid JSON: \(message)",
                errors: [FieldError(field: "body", message: message)]
            )
        case .failure(.invalid(let errors)):
            throw ProblemDetails.invalid(
                errors, detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        }
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        let name = HTTPField.Name(IdempotencyKey.headerName)!
        guard let key = request.headers[name] else { return nil }
        if let problem = IdempotencyKey.validate(key) {
            throw ProblemDetails.invalidField(IdempotencyKey.headerName, problem)
        }
        return key
    }

    static func describe(_ error: OrderWorkflowGatewayError) -> String {
        switch error {
        case .unavailable(let reason): reason
        case .notFound: "workflow not found"
        }
    }
}
