import Logging
import ServiceLifecycle

/// Runs `application`; if it fails (other than by shutdown) it logs why and then waits for the
/// group's graceful shutdown, so its failure neither ends the process nor cancels the services
/// beside it.
struct BestEffortService<Application: Service>: Service {
    let application: Application
    let what: String
    let logger: Logger

    func run() async throws {
        do {
            try await application.run()
        } catch {
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            logger.error(
                "cannot serve \(what); running on without it. Free the port or choose another (WORKER_METRICS_PORT; 0 turns it off)",
                metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}
