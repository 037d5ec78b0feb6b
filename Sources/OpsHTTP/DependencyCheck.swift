/// One dependency's state as a readiness probe saw it.
public struct DependencyCheck: Sendable, Equatable {
    public let name: String
    public let up: Bool
    /// Why it is down (or what it said), for the probe's body and the logs.
    public let detail: String?

    public init(name: String, up: Bool, detail: String? = nil) {
        self.name = name
        self.up = up
        self.detail = detail
    }

    /// Runs `probe` for at most `timeout`: true = up, false or an error = down, no answer = down
    /// with "no answer within …".
    public static func run(
        _ name: String, timeout: Duration, _ probe: @escaping @Sendable () async throws -> Bool
    ) async -> DependencyCheck {
        do {
            let up = try await withDeadline(timeout, probe)
            return DependencyCheck(name: name, up: up, detail: up ? nil : "unreachable")
        } catch is DeadlineExceeded {
            return DependencyCheck(name: name, up: false, detail: "no answer within \(timeout)")
        } catch {
            return DependencyCheck(name: name, up: false, detail: "\(error)")
        }
    }
}
