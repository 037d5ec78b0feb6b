import TemporalBridge

extension ActivityFailure {
    /// True for DESIGN's business failures (InvalidProduct, InsufficientInventory,
    /// PaymentDeclined, InvalidOrder): the step decided "no" and changed nothing.
    var isBusinessFailure: Bool {
        guard let failure = applicationFailure else { return false }
        return ActivityErrorMapping.businessFailureTypes.contains(failure.type)
    }
}
