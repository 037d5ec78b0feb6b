import Synchronization

/// Whether a worker can take tasks now, for readiness probes.
public struct WorkerReadiness: Sendable, Equatable {
    /// Why the worker cannot take tasks, in words an operator can act on; nil when it can.
    public var reason: String?

    public var isReady: Bool { reason == nil }
}

/// What the poll loops last saw: a poller whose latest poll failed stays failing until one of
/// its polls gets an answer (a task or an empty long-poll result) again.
final class PollHealth: Sendable {
    enum Phase: Sendable { case notStarted, running, shuttingDown }

    private struct State {
        var phase = Phase.notStarted
        var failing: [String: String] = [:]
    }

    private let state = Mutex(State())

    func running() { state.withLock { $0.phase = .running } }
    func shuttingDown() { state.withLock { $0.phase = .shuttingDown } }

    func pollAnswered(by poller: String) {
        state.withLock { _ = $0.failing.removeValue(forKey: poller) }
    }

    func pollFailed(by poller: String, error: any Error) {
        state.withLock { $0.failing[poller] = "\(error)" }
    }

    /// Ready while running, Temporal answers and no poller's latest poll failed.
    func readiness(unreachable: TemporalRPCError?, target: String) -> WorkerReadiness {
        let (phase, failing) = state.withLock { ($0.phase, $0.failing) }
        switch phase {
        case .notStarted: return WorkerReadiness(reason: "the worker has not started polling yet")
        case .shuttingDown: return WorkerReadiness(reason: "the worker is shutting down")
        case .running: break
        }
        if let unreachable {
            return WorkerReadiness(reason: "Temporal at \(target) is unreachable: \(unreachable.message)")
        }
        if let first = failing.min(by: { $0.key < $1.key }) {
            let others = failing.count > 1 ? " (and \(failing.count - 1) more pollers)" : ""
            return WorkerReadiness(reason: "poller \(first.key)\(others) failed its last poll: \(first.value)")
        }
        return WorkerReadiness(reason: nil)
    }
}
