import Logging
import OrderCore
import Prometheus

/// What the route handlers work with. Everything is behind a protocol so tests run the
/// whole HTTP surface against fakes.
public struct APIServices: Sendable {
    public var gateway: any OrderWorkflowGateway
    public var repository: any OrderRepository
    public var web: WebSettings
    /// The folder holding index.html, app.js, style.css and openapi.yaml.
    public var publicDirectory: String
    /// The registry `/metrics` renders (the one bootstrapped as swift-metrics backend).
    public var metricsRegistry: PrometheusCollectorRegistry
    /// How long `/readyz` waits for each dependency.
    public var readinessTimeout: Duration
    /// Limits `POST /api/orders` per client; nil turns limiting off.
    public var rateLimiter: (any RateLimiter)?
    /// The live status feed (`/api/orders/events`); nil without Redis.
    public var statusFeed: StatusFeedHub?
    /// Pings Redis for `/readyz`; nil when Redis is not configured (and so not reported).
    public var redisProbe: (@Sendable () async throws -> Void)?

    public init(
        gateway: any OrderWorkflowGateway, repository: any OrderRepository, web: WebSettings,
        publicDirectory: String, metricsRegistry: PrometheusCollectorRegistry, readinessTimeout: Duration = .seconds(2),
        rateLimiter: (any RateLimiter)? = InProcessRateLimiter(settings: RateLimitSettings()),
        statusFeed: StatusFeedHub? = nil, redisProbe: (@Sendable () async throws -> Void)? = nil
    ) {
        self.gateway = InstrumentedWorkflowGateway(base: gateway)
        self.repository = repository
        self.web = web
        self.publicDirectory = publicDirectory
        self.metricsRegistry = metricsRegistry
        self.readinessTimeout = readinessTimeout
        self.rateLimiter = rateLimiter
        self.statusFeed = statusFeed
        self.redisProbe = redisProbe
        self.web.statusFeedURL = statusFeed == nil ? nil : "/api/orders/events"
    }
}

/// What the web page needs to know (served as `/api/config`).
public struct WebSettings: Sendable, Encodable {
    public var temporalUIURL: String
    public var temporalNamespace: String
    public var pollIntervalMs: Int
    /// Where the page opens its EventSource; nil (no Redis) means the page polls.
    public var statusFeedURL: String?

    public init(temporalUIURL: String, temporalNamespace: String, pollIntervalMs: Int = 1500) {
        self.temporalUIURL = temporalUIURL
        self.temporalNamespace = temporalNamespace
        self.pollIntervalMs = pollIntervalMs
    }

    enum CodingKeys: String, CodingKey {
        case temporalUIURL = "temporal_ui_url", temporalNamespace = "temporal_namespace", pollIntervalMs =
            "poll_interval_ms", statusFeedURL = "status_feed_url"
    }
}
