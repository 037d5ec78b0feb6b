/// Options of one local activity: an activity the worker runs itself, inside the workflow task
/// that asked for it, recording only its outcome in history (a `core_local_activity` marker)
/// instead of ActivityTaskScheduled/Started/Completed events and a task round trip per step.
///
/// At least one of `startToCloseTimeout` and `scheduleToCloseTimeout` must be set.
public struct LocalActivityOptions: Sendable, Equatable {
    /// Bounds one attempt; defaults to `scheduleToCloseTimeout` when unset.
    public var startToCloseTimeout: Duration? {
        get { shared.fields.startToCloseTimeout }
        set { shared = shared.updating { $0.startToCloseTimeout = newValue } }
    }
    /// Bounds every attempt and backoff together, from the first schedule.
    public var scheduleToCloseTimeout: Duration? {
        get { shared.fields.scheduleToCloseTimeout }
        set { shared = shared.updating { $0.scheduleToCloseTimeout = newValue } }
    }
    /// Unset fields take sdk-core's defaults (1 s, 2.0, 100 × initial, unlimited attempts).
    public var retryPolicy: RetryPolicy? {
        get { shared.fields.retryPolicy }
        set { shared = shared.updating { $0.retryPolicy = newValue } }
    }
    /// Retries whose backoff is at most this long wait inside the workflow task; a longer backoff
    /// ends the task with a marker of the failed attempt and a durable timer, after which the
    /// activity is scheduled again (sdk-core's rule; 1 minute by default, as there).
    public var localRetryThreshold: Duration {
        get { shared.fields.localRetryThreshold }
        set { shared = shared.updating { $0.localRetryThreshold = newValue } }
    }

    private var shared: SharedFields<Fields>

    private struct Fields: Sendable, Equatable {
        var startToCloseTimeout: Duration?
        var scheduleToCloseTimeout: Duration?
        var retryPolicy: RetryPolicy?
        var localRetryThreshold: Duration
    }

    /// Local activities are only ever try-cancelled: the workflow stops waiting at once and a
    /// cancellation marker is recorded; the running attempt is cancelled too.
    public init(
        startToCloseTimeout: Duration? = nil,
        scheduleToCloseTimeout: Duration? = nil,
        retryPolicy: RetryPolicy? = nil,
        localRetryThreshold: Duration = .seconds(60)
    ) {
        shared = SharedFields(
            Fields(
                startToCloseTimeout: startToCloseTimeout, scheduleToCloseTimeout: scheduleToCloseTimeout,
                retryPolicy: retryPolicy, localRetryThreshold: localRetryThreshold))
    }

    /// The per-attempt limit: start-to-close, clamped to schedule-to-close (as sdk-core does).
    var attemptTimeout: Duration? {
        switch (startToCloseTimeout, scheduleToCloseTimeout) {
        case (let start?, let schedule?): return min(start, schedule)
        case (let start?, nil): return start
        case (nil, let schedule?): return schedule
        case (nil, nil): return nil
        }
    }
}
