/// The fraud screen before payment: a per-customer velocity limit, and the switch that keeps
/// the workflow on its code path from before the screen existed.
public struct FraudSettings: Sendable, Equatable {
    /// False = the old build: OrderWorkflow never reaches the `fraud-screen` patch, as before the
    /// screen was added (for showing a rolling upgrade; see `make drill`).
    public var screenEnabled: Bool
    /// Orders of one customer within the window (this one included) above which the order fails.
    public var maxOrders: Int
    /// Total of one customer's orders within the window (this one included) above which it fails.
    public var maxAmount: Money
    public var windowSeconds: Int

    public init(
        screenEnabled: Bool = true, maxOrders: Int = 20, maxAmount: Money = Money(cents: 5_000_000),
        windowSeconds: Int = 3600
    ) {
        self.screenEnabled = screenEnabled
        self.maxOrders = maxOrders
        self.maxAmount = maxAmount
        self.windowSeconds = windowSeconds
    }
}
