import Dispatch
import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Hand-written because Hummingbird's `MetricsMiddleware` wraps every body in a post-write closure, which turns off
/// the server's single write of head, body and end: two write syscalls per create instead of one. Measured per
/// create at 1 connection (commit 1274283): 9.7 → 9.1 context switches and 0.06–0.14 ms less CPU with this one.
///
/// Requests by route, method and status, their latency and how many are in flight: the series of Hummingbird's
/// `MetricsMiddleware`, under the same names, recorded when the handler has answered.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let series = RequestSeries()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let active = series.active(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            let route = series.route(context.endpointPath ?? "Unknown", request.method, response.status)
            route.requests.increment()
            route.duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let route = series.route(context.endpointPath ?? "NotFound", request.method, status)
            route.requests.increment()
            route.errors.increment()
            throw error
        }
    }
}

/// The metric objects per method and per route/method/status, made once: the metrics factory's own lookup is slower.
private final class RequestSeries: Sendable {
    struct RouteKey: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    struct Route: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
        let errors: Counter

        init(_ key: RouteKey) {
            let dimensions = [
                ("http.route", key.route), ("http.request.method", key.method.rawValue),
                ("http.response.status_code", String(key.status)),
            ]
            requests = Counter(label: "hb.requests", dimensions: dimensions)
            duration = Metrics.Timer(
                label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
            errors = Counter(
                label: "hb.request.errors",
                dimensions: [
                    ("http.route", key.route), ("http.request.method", key.method.rawValue),
                    ("error.type", String(key.status)),
                ])
        }
    }

    private let routes = Mutex<[RouteKey: Route]>([:])
    private let methods = Mutex<[HTTPRequest.Method: Meter]>([:])

    func route(_ route: String, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status) -> Route {
        let key = RouteKey(route: route, method: method, status: status.code)
        return routes.withLock { routes in
            if let known = routes[key] { return known }
            let made = Route(key)
            routes[key] = made
            return made
        }
    }

    func active(_ method: HTTPRequest.Method) -> Meter {
        methods.withLock { methods in
            if let known = methods[method] { return known }
            let made = Meter(
                label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            methods[method] = made
            return made
        }
    }
}
