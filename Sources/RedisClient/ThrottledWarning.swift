import Synchronization

/// Says whether a repeated warning (e.g. "Redis is down", once per request) is due again, so an
/// outage is logged once per `interval` instead of flooding the log.
public final class ThrottledWarning: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    public init(interval: Duration = .seconds(30)) {
        self.interval = interval
    }

    /// True at most once per `interval`.
    public func isDue() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            guard last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
