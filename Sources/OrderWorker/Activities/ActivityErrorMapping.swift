import OrderCore
import PostgresClient
import TemporalBridge

/// Turns what an activity body threw into what Temporal should see: business failures become
/// non-retryable ApplicationFailures of the types in docs/workflow.md; transient faults stay retryable.
enum ActivityErrorMapping {
    /// Failure types the workflow's retry policy lists as non-retryable.
    static let businessFailureTypes: [String] = [
        OrderFailureType.invalidProduct, .insufficientInventory, .paymentDeclined, .invalidOrder, .fraudSuspected,
    ].map(\.rawValue)

    static func map(_ error: any Error) -> any Error {
        switch error {
        case let failure as ApplicationFailure:
            return failure
        case is CancellationError:
            return error
        case let business as OrderBusinessError:
            return ApplicationFailure(type: business.type.rawValue, message: business.message, nonRetryable: true)
        case let payment as PaymentError:
            switch payment {
            case .declined(let message):
                return ApplicationFailure(
                    type: OrderFailureType.paymentDeclined.rawValue, message: message, nonRetryable: true)
            case .unavailable(let message):
                return ApplicationFailure(type: "PaymentUnavailable", message: message, nonRetryable: false)
            case .voided(let message):
                // Only an attempt that outlived its timeout meets this: the order was compensated meanwhile.
                return ApplicationFailure(type: "PaymentVoided", message: message, nonRetryable: true)
            case .interrupted:
                return CancellationError()
            }
        case let database as PostgresError:
            // Not a business decision either way: a broken connection will likely heal; anything
            // else is still retried (bounded by ACTIVITY_MAX_ATTEMPTS) rather than failing the order at once.
            let type = database.isTransient ? "DatabaseUnavailable" : "DatabaseError"
            return ApplicationFailure(type: type, message: database.description, nonRetryable: false)
        case let transition as OrderStatusError:
            // The order is no longer in a state this step applies to (e.g. already cancelled).
            return ApplicationFailure(
                type: OrderFailureType.invalidOrder.rawValue, message: "\(transition)", nonRetryable: true)
        default:
            return ApplicationFailure(
                type: String(describing: Swift.type(of: error)), message: "\(error)", nonRetryable: false)
        }
    }

    /// Runs `body`, rethrowing its error mapped.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw map(error)
        }
    }
}
