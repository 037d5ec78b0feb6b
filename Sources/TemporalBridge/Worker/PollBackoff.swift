/// How long a poller waits after a failed poll: exponential, jittered, reset by a good poll.
///
/// RESOURCE_EXHAUSTED means the server is shedding load (rate limits, too many pollers): backing off
/// at the pace of a connection blip would only add to it, so it starts at 1 s and goes up to 30 s.
/// Everything else starts at 200 ms and goes up to 10 s. Jitter (the delay is drawn from its upper
/// half) keeps many pollers that failed together from coming back together.
struct PollBackoff {
    struct Schedule: Equatable {
        var initial: Duration
        var maximum: Duration
    }

    static let transient = Schedule(initial: .milliseconds(200), maximum: .seconds(10))
    static let overloaded = Schedule(initial: .seconds(1), maximum: .seconds(30))

    private var failures = 0
    private let random: @Sendable () -> Double

    init(random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.random = random
    }

    mutating func reset() { failures = 0 }

    /// The wait before the next poll after `error`.
    mutating func delay(after error: any Error) -> Duration {
        let schedule = Self.schedule(for: error)
        let exponent = min(failures, 16)
        failures += 1
        let ceiling = min(schedule.initial * (1 << exponent), schedule.maximum)
        return ceiling * (0.5 + 0.5 * random())
    }

    static func schedule(for error: any Error) -> Schedule {
        if let rpc = error as? TemporalRPCError, rpc.code == .resourceExhausted { return overloaded }
        return transient
    }
}
