import Logging
import OrderCore
import OrderStatusFeed
import RedisClient
import ServiceLifecycle

/// What the API does with Redis when REDIS_URL is set: a command client (rate limiting,
/// readiness) and a subscription relaying the worker's status changes to SSE streams. Nothing
/// here needs Redis to be up at start: both reconnect on their own.
struct RedisDependencies {
    let client: RedisClient
    let rateLimiter: RedisRateLimiter
    let statusFeed: StatusFeedHub

    init(endpoint: RedisEndpoint, rateLimit: RateLimitSettings, logger: Logger) {
        // Short timeouts: the limiter runs on the request path and fails open.
        let options = RedisClientOptions(connectTimeout: .milliseconds(500), commandTimeout: .milliseconds(500))
        client = RedisClient(endpoint: endpoint, options: options, logger: Logger(label: "order-api.redis"))
        rateLimiter = RedisRateLimiter(client: client, settings: rateLimit)
        let subscriber = RedisSubscriber(
            endpoint: endpoint, channels: [OrderStatusChange.channel], logger: Logger(label: "order-api.status-feed"))
        statusFeed = StatusFeedHub(subscriber: subscriber, logger: Logger(label: "order-api.status-feed"))
    }

    var probe: @Sendable () async throws -> Void {
        { [client] in try await client.ping() }
    }
}

/// Closes the Redis client when the service group shuts down.
struct RedisClientCloser: Service {
    let client: RedisClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.close()
    }
}
