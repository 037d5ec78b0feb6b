import Synchronization

/// A mutex for state kept in several stored properties of a class (use `Mutex<Value>` when one value
/// is guarded). TemporalBridge uses it instead of Foundation's `NSLock` so that it links only
/// FoundationEssentials: the full Foundation and its ICU data would add ~6 MB to every worker.
final class Lock: Sendable {
    private let mutex = Mutex(())

    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        try mutex.withLock { _ in try body() }
    }
}
