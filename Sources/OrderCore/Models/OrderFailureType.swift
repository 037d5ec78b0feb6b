/// Business failure kinds; the raw values are the Temporal ApplicationFailure types.
public enum OrderFailureType: String, Sendable, Codable, CaseIterable {
    case invalidProduct = "InvalidProduct"
    case insufficientInventory = "InsufficientInventory"
    case paymentDeclined = "PaymentDeclined"
    case invalidOrder = "InvalidOrder"
    /// The customer went over the fraud screen's velocity limit (FRAUD_VELOCITY_*).
    case fraudSuspected = "FraudSuspected"
}
