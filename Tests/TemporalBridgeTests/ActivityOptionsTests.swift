import Testing

@testable import TemporalBridge

/// The options keep their fields in a shared box (`SharedFields`); to callers they must still behave as values.
@Suite("Activity options are values")
struct ActivityOptionsTests {
    @Test func changingACopyLeavesTheOriginalAlone() {
        let original = ActivityOptions(
            startToCloseTimeout: .seconds(10), retryPolicy: RetryPolicy(maximumAttempts: 3))
        var copy = original
        copy.startToCloseTimeout = .seconds(20)
        copy.retryPolicy?.maximumAttempts = 5
        copy.cancellationType = .abandon

        #expect(original.startToCloseTimeout == .seconds(10))
        #expect(original.retryPolicy?.maximumAttempts == 3)
        #expect(original.cancellationType == .tryCancel)
        #expect(copy.startToCloseTimeout == .seconds(20))
        #expect(copy.retryPolicy?.maximumAttempts == 5)
        #expect(copy != original)
    }

    @Test func equalityComparesFieldsNotBoxes() {
        var built = ActivityOptions(taskQueue: "q")
        built.heartbeatTimeout = .seconds(5)
        #expect(built == ActivityOptions(taskQueue: "q", heartbeatTimeout: .seconds(5)))
        #expect(built != ActivityOptions(taskQueue: "other", heartbeatTimeout: .seconds(5)))
    }

    @Test func localOptionsToo() {
        let original = LocalActivityOptions(startToCloseTimeout: .seconds(3))
        var copy = original
        copy.localRetryThreshold = .seconds(5)
        copy.scheduleToCloseTimeout = .seconds(2)

        #expect(original.localRetryThreshold == .seconds(60))
        #expect(original.attemptTimeout == .seconds(3))
        #expect(copy.attemptTimeout == .seconds(2))
        #expect(copy != original)
        #expect(original == LocalActivityOptions(startToCloseTimeout: .seconds(3)))
    }
}
