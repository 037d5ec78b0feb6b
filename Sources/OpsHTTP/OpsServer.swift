import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The operations port of a process without an HTTP API of its own (the worker): `GET /metrics`
/// (Prometheus text), `GET /healthz` (200 while the process answers) and `GET /readyz` (200 when
/// every check of `readiness` is up, else 503; both with a JSON body naming each check's state
/// and, when not ready, the reason).
public enum OpsServer {
    /// The operations port as a ServiceLifecycle service. It is best effort: when the port cannot be
    /// served (say it is taken) the error is logged and the process keeps doing its work without it
    /// until shutdown — a busy metrics port must not stop order processing.
    public static func service(
        host: String, port: Int, registry: PrometheusCollectorRegistry, serverName: String,
        readiness: @escaping @Sendable () async -> [DependencyCheck], logger: Logger
    ) -> some Service {
        BestEffortService(
            application: application(
                host: host, port: port, registry: registry, serverName: serverName, readiness: readiness,
                logger: logger),
            what: "/metrics, /healthz and /readyz on \(host):\(port)", logger: logger)
    }

    public static func application(
        host: String, port: Int, registry: PrometheusCollectorRegistry, serverName: String,
        readiness: @escaping @Sendable () async -> [DependencyCheck], logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(registry: registry, readiness: readiness, logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            logger: logger)
    }

    /// The routes alone, for tests (HummingbirdTesting) and for embedding.
    public static func router(
        registry: PrometheusCollectorRegistry, readiness: @escaping @Sendable () async -> [DependencyCheck],
        logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        let metrics = MetricsEndpoint(registry: registry)
        router.get("/metrics") { try await metrics.respond($0, context: $1) }
        router.get("/healthz") { _, _ in try OpsServer.json(HealthBody(status: "ok"), status: .ok) }
        router.get("/readyz") { _, _ in
            let checks = await readiness()
            let down = checks.filter { !$0.up }
            let body = ReadinessBody(checks: checks)
            if !down.isEmpty {
                logger.warning("not ready", metadata: ["reason": "\(body.reason ?? "")"])
            }
            return try OpsServer.json(body, status: down.isEmpty ? .ok : .serviceUnavailable)
        }
        return router
    }

    private static func json(_ body: some Encodable, status: HTTPResponse.Status) throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        return try JSONResponse.make(body, status: status, headers: headers)
    }
}

private struct HealthBody: Encodable {
    let status: String
}

/// `{"status": "ready" | "not_ready", "reason": "<check>: <detail>; …", "checks": {name: {status, detail}}}`
private struct ReadinessBody: Encodable {
    struct State: Encodable {
        let status: String
        let detail: String?
    }

    let status: String
    let reason: String?
    let checks: [String: State]

    init(checks: [DependencyCheck]) {
        let down = checks.filter { !$0.up }
        status = down.isEmpty ? "ready" : "not_ready"
        reason =
            down.isEmpty ? nil : down.map { "\($0.name): \($0.detail ?? "down")" }.joined(separator: "; ")
        self.checks = Dictionary(
            uniqueKeysWithValues: checks.map { ($0.name, State(status: $0.up ? "up" : "down", detail: $0.detail)) })
    }
}
