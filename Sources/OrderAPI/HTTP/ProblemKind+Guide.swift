import Hummingbird

/// What each problem type means to a person: the page `GET /problems/<slug>` shows for it
/// (RFC 9457 §3.1.1: a `type` URI should resolve to human-readable documentation).
extension ProblemKind {
    /// The HTTP status responses of this type carry (and its page states).
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidRequest, .malformedJSON: .badRequest
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .routeNotFound, .orderNotFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .orderAlreadyTerminal: .conflict
        case .rateLimited: .tooManyRequests
        case .statusFeedUnavailable, .serviceUnavailable, .notReady: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    /// What happened, in a sentence or two.
    public var meaning: String {
        switch self {
        case .invalidRequest:
            "The request was well-formed JSON (or had no body), but one or more fields, query parameters or headers "
                + "broke a rule: a missing customer_id, a quantity of 0, a price with three decimals, a limit out of range."
        case .malformedJSON:
            "The request body could not be parsed as JSON."
        case .payloadTooLarge:
            "The request body is larger than the API accepts (64 KiB)."
        case .unsupportedMediaType:
            "The request has a body whose Content-Type is not application/json."
        case .routeNotFound:
            "Nothing is served at this path: no route matches it, or it names a problem type that does not exist."
        case .methodNotAllowed:
            "The path exists, but not with this HTTP method."
        case .orderNotFound:
            "No order has this id. Orders are found by the id the creation answered with (workflow id = order id)."
        case .orderAlreadyTerminal:
            "The order has already completed, failed or been cancelled, so it can no longer be cancelled."
        case .rateLimited:
            "This client (its IP address) created orders faster than the API allows: its token bucket is empty."
        case .statusFeedUnavailable:
            "The live status feed needs Redis, which is not configured or cannot be reached right now."
        case .serviceUnavailable:
            "A service the API depends on (Temporal or PostgreSQL) did not answer, so the request was not carried out."
        case .notReady:
            "The readiness check failed: PostgreSQL or Temporal does not answer. The response's `checks` says which."
        case .internalError:
            "The API failed in a way it did not expect. The request may or may not have taken effect."
        }
    }

    /// What the client (or an operator) can do about it.
    public var remedy: String {
        switch self {
        case .invalidRequest:
            "Fix the fields named in `errors` (each entry has `field` and `message`) and send the request again."
        case .malformedJSON:
            "Send one JSON object as the body, with Content-Type: application/json; the request's shape is in /openapi.yaml."
        case .payloadTooLarge:
            "Send a smaller body: an order holds at most 100 items."
        case .unsupportedMediaType:
            "Send the body as JSON with the header Content-Type: application/json."
        case .routeNotFound:
            "Check the path against /openapi.yaml, which lists every route."
        case .methodNotAllowed:
            "Use one of the methods the Allow header lists."
        case .orderNotFound:
            "Check the order id; GET /api/orders lists recent orders."
        case .orderAlreadyTerminal:
            "Nothing to do: GET /api/orders/{id} shows how the order ended."
        case .rateLimited:
            "Wait the number of seconds in the Retry-After header, then try again."
        case .statusFeedUnavailable:
            "Poll GET /api/orders/{id}/status instead; operators: set REDIS_URL and check that Redis answers."
        case .serviceUnavailable:
            "Retry after the seconds in Retry-After; creating an order again with the same Idempotency-Key is safe. "
                + "Operators: check PostgreSQL and Temporal (GET /readyz)."
        case .notReady:
            "Do not send traffic to this instance yet. Operators: start or fix the service named in `errors`."
        case .internalError:
            "Retry once; if it persists, report it with the X-Request-Id response header, which the API's logs carry."
        }
    }
}
