/// The error that stopped the worker, set once.
final class FatalErrorBox: @unchecked Sendable {
    private let lock = Lock()
    private var first: WorkerFatalError?

    /// True when `error` is the first one recorded.
    func record(_ error: WorkerFatalError) -> Bool {
        lock.withLock {
            guard first == nil else { return false }
            first = error
            return true
        }
    }

    var error: WorkerFatalError? { lock.withLock { first } }
}
