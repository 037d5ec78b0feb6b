/// Retries one of the worker's own calls (a history page, a task response) through transport
/// trouble, but never past the point where the task itself is over: after `deadline` the server
/// has timed the task out and schedules it again, which is the recovery for everything else.
enum TransportRetry {
    /// Errors that say nothing about the request itself: the call may succeed if sent again.
    static func isTransient(_ error: TemporalRPCError) -> Bool {
        switch error.code {
        case .unavailable, .deadlineExceeded, .aborted, .unknown: true
        case .resourceExhausted: !error.isMessageTooLarge
        default: false
        }
    }

    /// Runs `call` with the time left (at most `perAttempt`) until it succeeds, fails for a reason
    /// other than transport, or `deadline` leaves no room for another attempt.
    static func run<T>(
        until deadline: ContinuousClock.Instant, perAttempt: Duration = .seconds(10),
        _ call: (_ timeout: Duration) async throws -> T
    ) async throws -> T {
        var delay: Duration = .milliseconds(100)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            do {
                return try await call(min(perAttempt, max(left, .milliseconds(1))))
            } catch let error as TemporalRPCError where isTransient(error) {
                let jittered = delay * Double.random(in: 0.5...1.0)
                guard ContinuousClock.now.duration(to: deadline) > jittered + .milliseconds(100) else { throw error }
                try await Task.sleep(for: jittered)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }
}
