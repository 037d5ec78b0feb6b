import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OpsHTTP
import OrderCore
import ServiceLifecycle

/// `order-api`: the HTTP API and web page. Settings come from the environment (see
/// `--help`); the flags override the listen address and log level.
struct OrderAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-api",
        abstract: "OrderFlow HTTP API: starts one Temporal workflow per order and serves the web page.",
        discussion: OrderFlowConfig.helpText(
            intro: "Settings are read from the environment; --host, --port and --log-level override theirs.")
    )

    @Option(help: "Address to listen on (overrides API_HOST).")
    var host: String?

    @Option(help: "Port to listen on (overrides API_PORT).")
    var port: Int?

    @Option(help: "Log level (overrides LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "Folder with index.html, app.js, style.css and openapi.yaml (default: the bundled copy).")
    var publicDirectory: String?

    func run() async throws {
        DefaultTimeZone.useGMT()
        let flags: [(setting: any SettingDescription, value: String?)] = [
            (OrderFlowSettings.apiHost, host), (OrderFlowSettings.apiPort, port.map(String.init)),
            (OrderFlowSettings.logLevel, logLevel),
        ]
        let config: OrderFlowConfig
        do {
            config = try OrderFlowConfig(flags: flags)
        } catch {
            throw ValidationError(error.description)
        }

        let level = config.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "order-api")
        // Before anything makes a metric: the Temporal client's request series live here too.
        let registry = PrometheusBootstrap.bootstrap(durationBuckets: LiveDependencies.temporalLatencyBuckets)

        logger.info("Starting order-api", metadata: ["config": .string(config.summary)])
        let live = try await LiveDependencies.connect(config: config, logger: logger)
        let services = APIServices(
            gateway: live.gateway, repository: live.repository,
            web: WebSettings(temporalUIURL: config.temporal.uiURL, temporalNamespace: config.temporal.namespace),
            publicDirectory: publicDirectory ?? Self.bundledPublicDirectory(),
            metricsRegistry: registry,
            rateLimiter: live.rateLimiter(config.rateLimit),
            statusFeed: live.redis?.statusFeed,
            redisProbe: live.redis?.probe
        )
        let app = try buildApplication(services: services, host: config.api.host, port: config.api.port, logger: logger)
        // Services shut down in reverse order: on SIGTERM/SIGINT the status feed first ends its
        // open SSE streams (clients that never hang up would keep the server waiting), then the
        // app stops taking requests, then the connections it used are closed.
        let group = ServiceGroup(
            configuration: .init(
                services: live.services + [app] + (live.redis.map { [$0.statusFeed] } ?? []),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.info("order-api stopped")
    }

    static func bundledPublicDirectory() -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Public").path
    }
}
