import TemporalBridge

extension ActivityFailure {
    /// True for the business failures of docs/workflow.md (InvalidProduct, InsufficientInventory,
    /// PaymentDeclined, InvalidOrder, FraudSuspected): the step decided "no" and changed nothing.
    var isBusinessFailure: Bool {
        guard let failure = applicationFailure else { return false }
        return ActivityErrorMapping.businessFailureTypes.contains(failure.type)
    }
}
