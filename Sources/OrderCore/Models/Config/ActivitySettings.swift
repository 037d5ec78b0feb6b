/// The retry policy and timeout every order activity runs with.
public struct ActivitySettings: Sendable, Equatable {
    public var maxAttempts: Int
    public var initialInterval: Duration
    public var backoffCoefficient: Double
    public var maximumInterval: Duration
    public var startToCloseTimeout: Duration
    /// True: new runs of OrderWorkflow run the database-only steps (CreateOrder, CheckInventory) as
    /// local activities (LOCAL_ACTIVITIES=on); runs already started keep the shape they started with.
    public var localActivities: Bool

    public init(
        maxAttempts: Int = 5, initialInterval: Duration = .milliseconds(1000), backoffCoefficient: Double = 2.0,
        maximumInterval: Duration = .seconds(30), startToCloseTimeout: Duration = .seconds(10),
        localActivities: Bool = false
    ) {
        self.maxAttempts = maxAttempts
        self.initialInterval = initialInterval
        self.backoffCoefficient = backoffCoefficient
        self.maximumInterval = maximumInterval
        self.startToCloseTimeout = startToCloseTimeout
        self.localActivities = localActivities
    }
}
