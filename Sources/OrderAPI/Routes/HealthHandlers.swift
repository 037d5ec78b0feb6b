import Hummingbird
import Logging
import OpsHTTP

/// `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL and Temporal answer,
/// each within `readinessTimeout`). Not ready → 503 problem naming what is down, with every
/// dependency's state in `checks`. Redis, when configured, is listed too, but only degrades:
/// without it orders are still taken (rate limiting fails open, the page polls), so Redis down
/// answers 200 with `status: degraded` rather than taking the API out of a load balancer.
struct HealthHandlers: Sendable {
    let services: APIServices

    func health(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(["status": "ok"])
    }

    func ready(_ request: Request, context: some RequestContext) async throws -> Response {
        let repository = services.repository
        let gateway = services.gateway
        let timeout = services.readinessTimeout
        async let postgres = Self.check("postgres", timeout) {
            try await repository.ping(); return true
        }
        async let temporal = Self.check("temporal", timeout) { await gateway.isReachable() }
        async let redis = Self.check("redis", timeout, ifConfigured: services.redisProbe)
        let required = await [postgres, temporal]
        let optional = await [redis].compactMap { $0 }
        let checks = required + optional

        let states = JSONTree.object(
            Dictionary(
                uniqueKeysWithValues: checks.map { check in
                    var state: [String: JSONTree] = ["status": .string(check.up ? "up" : "down")]
                    if let detail = check.detail { state["detail"] = .string(detail) }
                    return (check.name, JSONTree.object(state))
                }))
        let down = required.filter { !$0.up }
        guard down.isEmpty else {
            let names = down.map(\.name).joined(separator: ", ")
            context.logger.warning("Not ready", metadata: ["down": .string(names)])
            throw ProblemDetails(
                .notReady, status: .serviceUnavailable, detail: "Not ready: \(names) down.",
                errors: down.map { .init(field: $0.name, message: $0.detail ?? "down") },
                headers: [.retryAfter: "5"],
                extensions: ["checks": states]
            )
        }
        let degraded = optional.filter { !$0.up }
        if !degraded.isEmpty {
            context.logger.warning(
                "Degraded", metadata: ["down": .string(degraded.map(\.name).joined(separator: ", "))])
        }
        return try JSONResponse.make(
            JSONTree.object(["status": .string(degraded.isEmpty ? "ready" : "degraded"), "checks": states]))
    }

    private static func check(
        _ name: String, _ timeout: Duration, ifConfigured probe: (@Sendable () async throws -> Void)?
    ) async -> DependencyCheck? {
        guard let probe else { return nil }
        return await check(name, timeout) {
            try await probe(); return true
        }
    }

    private static func check(_ name: String, _ timeout: Duration, _ probe: @escaping @Sendable () async throws -> Bool)
        async -> DependencyCheck
    {
        await DependencyCheck.run(name, timeout: timeout, probe)
    }
}
