import Testing

@testable import OrderCore

@Suite struct MoneyDisplayTests {
    @Test(arguments: [
        (0, "0.00"), (5, "0.05"), (99_999, "999.99"), (100_000, "1,000.00"), (259_998, "2,599.98"),
        (123_456_789, "1,234,567.89"), (-100_000, "-1,000.00"), (-5, "-0.05"),
    ])
    func groupsThousands(cents: Int64, expected: String) {
        #expect(Money(cents: cents).displayText == expected)
    }
}
