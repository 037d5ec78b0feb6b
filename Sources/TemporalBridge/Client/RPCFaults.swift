/// Errors (and delays) a test arms for a worker's own calls, by RPC name, to drive the failure paths with
/// a real server behind everything else. The worker's `WorkflowServiceClient` takes them before a call
/// reaches the connection. Nothing is injected unless a test arms it.
final class RPCFaults: @unchecked Sendable {
    private let lock = Lock()
    private var pending: [String: [TemporalRPCError]] = [:]
    private var injected: [String: Int] = [:]
    private var delays: [String: Duration] = [:]
    private var armed = false

    /// The next `count` calls of `method` fail with `error` before reaching the server.
    func fail(_ method: String, times count: Int, with error: TemporalRPCError) {
        lock.withLock {
            pending[method, default: []] += Array(repeating: error, count: count)
            armed = true
        }
    }

    /// Every later call of `method` waits `delay` before it is sent (a slow server, as seen from here).
    func delay(_ method: String, by delay: Duration) {
        lock.withLock {
            delays[method] = delay
            armed = true
        }
    }

    /// How long this call of `method` waits before it is sent.
    func delay(for method: String) -> Duration? {
        lock.withLock { armed ? delays[method] : nil }
    }

    /// How many calls of `method` were failed so far.
    func injectedCount(_ method: String) -> Int {
        lock.withLock { injected[method, default: 0] }
    }

    /// The error to fail this call of `method` with, if one is armed.
    func take(_ method: String) -> TemporalRPCError? {
        lock.withLock {
            guard armed, var queue = pending[method], !queue.isEmpty else { return nil }
            let error = queue.removeFirst()
            pending[method] = queue
            injected[method, default: 0] += 1
            return error
        }
    }
}
