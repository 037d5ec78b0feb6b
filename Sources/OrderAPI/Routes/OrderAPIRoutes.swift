import Hummingbird

/// Every route of the API (docs/api.md; `/api/config` serves the page, `/problems/<slug>` the
/// problem-type pages).
/// openapi.yaml documents exactly this list; a test keeps the two equal.
struct OrderAPIRoutes: Sendable {
    let services: APIServices
    let statics: StaticHandlers

    func all<Context: RequestContext>(context: Context.Type = Context.self) -> [APIRoute<Context>] {
        let create = CreateOrderHandler(services: services)
        let status = OrderStatusHandler(services: services)
        let queries = OrderQueryHandlers(services: services)
        let cancel = CancelOrderHandler(services: services)
        let products = ProductsHandler(services: services)
        let health = HealthHandlers(services: services)
        let feed = StatusFeedHandler(services: services)
        let problems = ProblemPageHandler()
        let statics = statics

        return [
            APIRoute(.post, "/api/orders") { try await create.handle($0, context: $1) },
            APIRoute(.get, "/api/orders") { try await queries.list($0, context: $1) },
            APIRoute(.get, "/api/orders/events") { try await feed.handle($0, context: $1) },
            APIRoute(.get, "/api/orders/{id}") { try await queries.detail($0, context: $1) },
            APIRoute(.get, "/api/orders/{id}/status") { try await status.handle($0, context: $1) },
            APIRoute(.post, "/api/orders/{id}/cancel") { try await cancel.handle($0, context: $1) },
            APIRoute(.get, "/api/products") { try await products.handle($0, context: $1) },
            APIRoute(.get, "/api/config") { try await statics.config($0, context: $1) },
            APIRoute(.get, "/healthz") { try await health.health($0, context: $1) },
            APIRoute(.get, "/readyz") { try await health.ready($0, context: $1) },
            APIRoute(.get, "/metrics") { try await statics.metrics($0, context: $1) },
            APIRoute(.get, "/openapi.yaml") { try await statics.openAPI($0, context: $1) },
            APIRoute(.get, "/problems/{slug}") { try await problems.handle($0, context: $1) },
            APIRoute(.get, "/") { try await statics.index($0, context: $1) },
        ]
    }
}
