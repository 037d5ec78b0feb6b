import ServiceLifecycle
import TemporalBridge

/// Runs the TemporalBridge Worker inside a ServiceGroup: graceful shutdown (SIGTERM/SIGINT)
/// stops polling and lets in-flight tasks finish before `run()` returns.
struct TemporalWorkerService: Service {
    let worker: Worker

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await worker.run()
        } onGracefulShutdown: {
            worker.shutdown()
        }
    }
}
