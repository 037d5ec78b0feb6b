import OrderCore
import PostgresClient
import TemporalBridge
import Testing

@testable import OrderWorker

@Suite struct ActivityErrorMappingTests {
    @Test(arguments: [
        OrderFailureType.invalidProduct, .insufficientInventory, .paymentDeclined, .invalidOrder,
    ])
    func businessFailuresAreNonRetryableOfDesignsType(_ type: OrderFailureType) throws {
        let mapped = try #require(
            ActivityErrorMapping.map(OrderBusinessError(type: type, message: "no")) as? ApplicationFailure)
        #expect(mapped.type == type.rawValue)
        #expect(mapped.message == "no")
        #expect(mapped.nonRetryable)
    }

    @Test func listsExactlyDesignsBusinessTypesAsNonRetryable() {
        #expect(
            Set(ActivityErrorMapping.businessFailureTypes)
                == ["InvalidProduct", "InsufficientInventory", "PaymentDeclined", "InvalidOrder", "FraudSuspected"])
    }

    @Test func databaseFaultsStayRetryable() throws {
        let down = try #require(
            ActivityErrorMapping.map(PostgresError(kind: .connection, message: "refused")) as? ApplicationFailure)
        #expect(!down.nonRetryable)
        #expect(down.type == "DatabaseUnavailable")
        let serialization = try #require(
            ActivityErrorMapping.map(PostgresError(kind: .query, sqlState: "40001", message: "x"))
                as? ApplicationFailure)
        #expect(!serialization.nonRetryable)
        #expect(serialization.type == "DatabaseUnavailable")
        let other = try #require(
            ActivityErrorMapping.map(PostgresError(kind: .query, sqlState: "42601", message: "x"))
                as? ApplicationFailure)
        #expect(!other.nonRetryable)
        #expect(other.type == "DatabaseError")
    }

    @Test func paymentErrorsMapToDeclineOrRetry() throws {
        let declined = try #require(ActivityErrorMapping.map(PaymentError.declined("too much")) as? ApplicationFailure)
        #expect(declined.type == "PaymentDeclined")
        #expect(declined.nonRetryable)
        let unavailable = try #require(
            ActivityErrorMapping.map(PaymentError.unavailable("later")) as? ApplicationFailure)
        #expect(!unavailable.nonRetryable)
        #expect(ActivityErrorMapping.map(PaymentError.interrupted) is CancellationError)
    }

    @Test func illegalTransitionsAreInvalidOrder() throws {
        let mapped = try #require(
            ActivityErrorMapping.map(OrderStatusError.illegalTransition(from: .cancelled, to: .inventoryReserved))
                as? ApplicationFailure)
        #expect(mapped.type == "InvalidOrder")
        #expect(mapped.nonRetryable)
    }

    @Test func cancellationAndApplicationFailuresPassThrough() throws {
        #expect(ActivityErrorMapping.map(CancellationError()) is CancellationError)
        let original = ApplicationFailure(type: "X", message: "m", nonRetryable: true)
        #expect(ActivityErrorMapping.map(original) as? ApplicationFailure == original)
    }

    @Test func activityOptionsFollowTheSettings() throws {
        let options = OrderActivityOptions(
            settings: ActivitySettings(maxAttempts: 3, initialInterval: .milliseconds(200)))
        let policy = try #require(options.step.retryPolicy)
        #expect(policy.maximumAttempts == 3)
        #expect(policy.initialInterval == .milliseconds(200))
        #expect(policy.backoffCoefficient == 2.0)
        #expect(policy.maximumInterval == .seconds(30))
        #expect(options.step.startToCloseTimeout == .seconds(10))
        #expect(Set(policy.nonRetryableErrorTypes) == Set(ActivityErrorMapping.businessFailureTypes))
        #expect(options.compensation.retryPolicy?.maximumAttempts == 0)
    }
}
