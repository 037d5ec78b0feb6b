import Hummingbird
import Logging
import Metrics
import OrderCore
import RedisClient

/// Hand-written because Hummingbird 2.28 ships no rate limiting.
///
/// Limits `POST /api/orders` per client with a token bucket (`RateLimiter`); everything else
/// passes untouched. The client is the peer's IP address. Over the limit: 429 problem+json with
/// `Retry-After` in seconds. If the limiter cannot answer (Redis down) the request passes and a
/// warning is logged (at most every 30 s): a cache outage must not become an API outage;
/// `/readyz` reports it.
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: any RateLimiter
    let outageWarning = ThrottledWarning()
    let rejected = Counter(label: "orderflow_rate_limited_total")
    let failedOpen = Counter(label: "orderflow_rate_limiter_errors_total")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, Self.isOrderCreation(request.uri.path) else {
            return try await next(request, context)
        }
        let client = Self.clientKey(context)
        let decision: RateLimitDecision
        do {
            decision = try await limiter.acquire(client: client)
        } catch {
            failedOpen.increment()
            if outageWarning.isDue() {
                context.logger.warning(
                    "Rate limiter unavailable; letting requests through", metadata: ["error": "\(error)"])
            }
            return try await next(request, context)
        }
        guard decision.allowed else {
            rejected.increment()
            context.logger.info("Rate limited", metadata: ["client": .string(client)])
            let settings = limiter.settings
            let seconds = decision.retryAfterSeconds
            throw ProblemDetails(
                .rateLimited, status: .tooManyRequests,
                detail:
                    "Too many orders from this client: at most \(settings.perMinute) a minute, \(settings.burst) at once. Retry after \(seconds) s.",
                headers: [.retryAfter: String(seconds)]
            )
        }
        return try await next(request, context)
    }

    static func isOrderCreation(_ path: String) -> Bool {
        path == "/api/orders" || path == "/api/orders/"
    }

    /// The peer's IP address (no port: one client opens many connections).
    static func clientKey(_ context: Context) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }
}
