import Hummingbird
import NIOCore
import OrderCore

/// `GET /api/orders/events[?order_id=]`: the live order-status feed as Server-Sent Events.
/// Each change is an `order-status` event whose data is the change's JSON; a comment line
/// every few seconds keeps proxies from closing an idle stream. Without Redis there is no
/// feed: 503 problem+json `status-feed-unavailable` (the page then polls).
struct StatusFeedHandler: Sendable {
    let services: APIServices

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let hub = services.statusFeed else {
            throw ProblemDetails(
                .statusFeedUnavailable, status: .serviceUnavailable,
                detail:
                    "The live status feed needs Redis (REDIS_URL is not set); poll GET /api/orders/{id}/status instead."
            )
        }
        let orderId = try Self.orderId(request)
        let subscription = hub.subscribe(orderId: orderId)
        context.logger.debug("Status feed opened", metadata: ["order_id": .string(orderId ?? "*")])
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                defer { hub.unsubscribe(subscription.id) }
                // Sent at once so the client sees the stream open; `retry` paces its reconnects.
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                for await event in subscription.events {
                    try await writer.write(ByteBuffer(string: Self.format(event)))
                }
                try await writer.finish(nil)
            }
        )
    }

    static func format(_ event: StatusFeedHub.Event) -> String {
        switch event {
        case .keepalive:
            return ": keepalive\n\n"
        case .change(let change):
            // JSON without pretty printing has no line breaks, so it is one `data:` line.
            return "event: order-status\ndata: \(String(decoding: change.encoded(), as: UTF8.self))\n\n"
        }
    }

    static func orderId(_ request: Request) throws -> String? {
        guard let value = request.uri.queryParameters.get("order_id") else { return nil }
        guard OrderIdPath.isPlausible(value) else {
            throw ProblemDetails.invalidField("order_id", "must be 1-64 characters of A-Z a-z 0-9 . _ -")
        }
        return value
    }
}
