/// The retry policy and timeout every order activity runs with.
public struct ActivitySettings: Sendable, Equatable {
    public var maxAttempts: Int
    public var initialInterval: Duration
    public var backoffCoefficient: Double
    public var maximumInterval: Duration
    public var startToCloseTimeout: Duration

    public init(
        maxAttempts: Int = 5, initialInterval: Duration = .milliseconds(1000), backoffCoefficient: Double = 2.0,
        maximumInterval: Duration = .seconds(30), startToCloseTimeout: Duration = .seconds(10)
    ) {
        self.maxAttempts = maxAttempts
        self.initialInterval = initialInterval
        self.backoffCoefficient = backoffCoefficient
        self.maximumInterval = maximumInterval
        self.startToCloseTimeout = startToCloseTimeout
    }
}
