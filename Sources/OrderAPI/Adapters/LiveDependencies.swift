import Logging
import OrderCore
import ServiceLifecycle

/// The real gateway and repository, plus the services that own their connections and
/// must be shut down with the server.
struct LiveDependencies {
    var gateway: any OrderWorkflowGateway
    var repository: any OrderRepository
    var services: [any Service]

    static func connect(config: OrderFlowConfig, logger: Logger) async throws -> LiveDependencies {
        throw NotWiredYet()
    }
}

struct NotWiredYet: Error, CustomStringConvertible {
    var description: String { "the Temporal and PostgreSQL adapters are not wired yet" }
}
