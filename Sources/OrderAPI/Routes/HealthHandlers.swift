import Hummingbird
import Logging

/// `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL and Temporal
/// answer, each within `readinessTimeout`). Not ready → 503 problem naming what is down,
/// with every dependency's state in `checks`.
struct HealthHandlers: Sendable {
    let services: APIServices

    struct Check: Sendable {
        let name: String
        let up: Bool
        let detail: String?
    }

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
        let checks = await [postgres, temporal]

        let states = JSONTree.object(
            Dictionary(
                uniqueKeysWithValues: checks.map { check in
                    var state: [String: JSONTree] = ["status": .string(check.up ? "up" : "down")]
                    if let detail = check.detail { state["detail"] = .string(detail) }
                    return (check.name, JSONTree.object(state))
                }))
        let down = checks.filter { !$0.up }
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
        return try JSONResponse.make(JSONTree.object(["status": .string("ready"), "checks": states]))
    }

    private static func check(_ name: String, _ timeout: Duration, _ probe: @escaping @Sendable () async throws -> Bool)
        async -> Check
    {
        do {
            let up = try await withDeadline(timeout, probe)
            return Check(name: name, up: up, detail: up ? nil : "unreachable")
        } catch is DeadlineExceeded {
            return Check(name: name, up: false, detail: "no answer within \(timeout)")
        } catch {
            return Check(name: name, up: false, detail: "\(error)")
        }
    }
}
