import HTTPTypes
import Hummingbird
import Logging

/// The HTTP application: middleware stack, routes, and the server settings. Kept apart
/// from the command so tests build the very same application around fakes.
public func buildApplication(
    services: APIServices, host: String = "127.0.0.1", port: Int = 8080, logger: Logger
) throws -> some ApplicationProtocol {
    let (router, _) = try buildRouter(services: services, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "order-api"),
        logger: logger
    )
}

/// The router with every middleware and route; also returns the table of what is routed.
public func buildRouter(services: APIServices, logger: Logger) throws -> (Router<OrderAPIRequestContext>, RouteTable) {
    let router = Router(context: OrderAPIRequestContext.self)
    let routes = OrderAPIRoutes(services: services, statics: try StaticHandlers(services: services))
        .all(context: OrderAPIRequestContext.self)
    let table = RouteTable(all: routes.map(\.entry))

    // Middlewares apply to the routes registered after them (and to the not-found path),
    // outermost first: event loop affinity → id → access log → metrics → CORS → problem rendering → rate limit → files.
    router.add(middleware: EventLoopAffinityMiddleware())
    router.add(middleware: RequestIdMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug, includeHeaders: .all(except: [.authorization, .cookie])))
    router.add(middleware: RequestMetricsMiddleware())
    router.add(
        middleware: CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: [
                .accept, .contentType, .origin, HTTPField.Name(IdempotencyKey.headerName)!,
                RequestIdMiddleware<OrderAPIRequestContext>.headerName,
            ],
            allowMethods: [.get, .post, .options],
            exposedHeaders: ["X-Request-Id", "Location", "Retry-After"]
        ))
    router.add(middleware: ProblemMiddleware(routes: table))
    if let limiter = services.rateLimiter { router.add(middleware: RateLimitMiddleware(limiter: limiter)) }
    router.add(middleware: FileMiddleware(services.publicDirectory, logger: logger))

    for route in routes { route.register(on: router) }
    return (router, table)
}
