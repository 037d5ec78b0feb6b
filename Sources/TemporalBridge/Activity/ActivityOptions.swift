/// Retry policy for an activity (mirrors `temporal.api.common.v1.RetryPolicy`).
/// Unset fields take the server's defaults (1 s, 2.0, 100 × initial, unlimited attempts).
public struct RetryPolicy: Sendable, Equatable {
    public var initialInterval: Duration?
    public var backoffCoefficient: Double?
    public var maximumInterval: Duration?
    /// 0 = unlimited.
    public var maximumAttempts: Int
    /// Application failure types that are never retried.
    public var nonRetryableErrorTypes: [String]

    public init(
        initialInterval: Duration? = nil,
        backoffCoefficient: Double? = nil,
        maximumInterval: Duration? = nil,
        maximumAttempts: Int = 0,
        nonRetryableErrorTypes: [String] = []
    ) {
        self.initialInterval = initialInterval
        self.backoffCoefficient = backoffCoefficient
        self.maximumInterval = maximumInterval
        self.maximumAttempts = maximumAttempts
        self.nonRetryableErrorTypes = nonRetryableErrorTypes
    }
}

/// What cancelling a scheduled activity does.
public enum ActivityCancellationType: Sendable, Equatable {
    /// Send RequestCancelActivityTask and return `CancellationError` at once (default).
    case tryCancel
    /// Send RequestCancelActivityTask and wait until the activity reports its end.
    case waitCancellationCompleted
    /// Send nothing; the activity keeps running and its result is ignored.
    case abandon
}

/// Options of one activity invocation. At least one of `startToCloseTimeout` and
/// `scheduleToCloseTimeout` must be set (the server rejects the command otherwise).
public struct ActivityOptions: Sendable, Equatable {
    /// nil = the workflow's own task queue.
    public var taskQueue: String? {
        get { shared.fields.taskQueue }
        set { shared = shared.updating { $0.taskQueue = newValue } }
    }
    public var scheduleToCloseTimeout: Duration? {
        get { shared.fields.scheduleToCloseTimeout }
        set { shared = shared.updating { $0.scheduleToCloseTimeout = newValue } }
    }
    public var scheduleToStartTimeout: Duration? {
        get { shared.fields.scheduleToStartTimeout }
        set { shared = shared.updating { $0.scheduleToStartTimeout = newValue } }
    }
    public var startToCloseTimeout: Duration? {
        get { shared.fields.startToCloseTimeout }
        set { shared = shared.updating { $0.startToCloseTimeout = newValue } }
    }
    public var heartbeatTimeout: Duration? {
        get { shared.fields.heartbeatTimeout }
        set { shared = shared.updating { $0.heartbeatTimeout = newValue } }
    }
    public var retryPolicy: RetryPolicy? {
        get { shared.fields.retryPolicy }
        set { shared = shared.updating { $0.retryPolicy = newValue } }
    }
    public var cancellationType: ActivityCancellationType {
        get { shared.fields.cancellationType }
        set { shared = shared.updating { $0.cancellationType = newValue } }
    }

    private var shared: SharedFields<Fields>

    private struct Fields: Sendable, Equatable {
        var taskQueue: String?
        var scheduleToCloseTimeout: Duration?
        var scheduleToStartTimeout: Duration?
        var startToCloseTimeout: Duration?
        var heartbeatTimeout: Duration?
        var retryPolicy: RetryPolicy?
        var cancellationType: ActivityCancellationType
    }

    public init(
        taskQueue: String? = nil,
        startToCloseTimeout: Duration? = nil,
        scheduleToCloseTimeout: Duration? = nil,
        scheduleToStartTimeout: Duration? = nil,
        heartbeatTimeout: Duration? = nil,
        retryPolicy: RetryPolicy? = nil,
        cancellationType: ActivityCancellationType = .tryCancel
    ) {
        shared = SharedFields(
            Fields(
                taskQueue: taskQueue, scheduleToCloseTimeout: scheduleToCloseTimeout,
                scheduleToStartTimeout: scheduleToStartTimeout, startToCloseTimeout: startToCloseTimeout,
                heartbeatTimeout: heartbeatTimeout, retryPolicy: retryPolicy, cancellationType: cancellationType))
    }
}
