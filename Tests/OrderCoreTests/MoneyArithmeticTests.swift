import OrderCore
import Testing

@Suite("Money formatting, comparison and arithmetic")
struct MoneyArithmeticTests {
    @Test(
        "description always shows two decimals",
        arguments: [
            (Int64(0), "0.00"), (5, "0.05"), (50, "0.50"), (1250, "12.50"), (129_999, "1299.99"), (-300, "-3.00"),
            (-5, "-0.05"), (Int64.max, "92233720368547758.07"), (Int64.min, "-92233720368547758.08"),
        ])
    func description(cents: Int64, text: String) {
        #expect(Money(cents: cents).description == text)
    }

    @Test(
        "jsonNumberText is the shortest exact JSON number",
        arguments: [
            (Int64(0), "0"), (5, "0.05"), (50, "0.5"), (1250, "12.5"), (129_999, "1299.99"), (10_000, "100"),
            (-5, "-0.05"),
            (100_000_000, "1000000"),
        ])
    func jsonNumberText(cents: Int64, text: String) throws {
        let money = Money(cents: cents)
        #expect(money.jsonNumberText == text)
        #expect(try Money.parse(money.jsonNumberText) == money)
    }

    @Test("ordering follows cents")
    func ordering() {
        #expect(Money(cents: 99) < Money(cents: 100))
        #expect(Money(cents: -1) < .zero)
        #expect(
            [Money(cents: 3), Money(cents: 1), Money(cents: 2)].sorted() == [
                Money(cents: 1), Money(cents: 2), Money(cents: 3),
            ])
    }

    @Test("adding and multiplying are exact")
    func arithmetic() throws {
        let price = try Money.parse("1299.99")
        #expect(try price.multiplied(by: 3) == Money(cents: 389_997))
        #expect(try price.adding(Money.parse("0.01")) == Money(cents: 130_000))
        // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point.
        #expect(try Money.parse("0.1").adding(Money.parse("0.2")) == Money.parse("0.3"))
        #expect(try price.multiplied(by: 0) == .zero)
    }

    @Test("overflow is an error, never a wrap-around")
    func overflow() {
        #expect(throws: MoneyError.arithmeticOverflow) { try Money(cents: .max).adding(Money(cents: 1)) }
        #expect(throws: MoneyError.arithmeticOverflow) { try Money(cents: .min).adding(Money(cents: -1)) }
        #expect(throws: MoneyError.arithmeticOverflow) { try Money(cents: .max / 2 + 1).multiplied(by: 2) }
        #expect(throws: MoneyError.arithmeticOverflow) { try Money(cents: 100_000_000).multiplied(by: Int.max) }
    }

    @Test("errors read well")
    func errorDescriptions() {
        #expect(MoneyError.tooManyDecimals("1.005").description == "1.005 has more than two decimal places")
        #expect(MoneyError.notANumber("+1").description == "\"+1\" is not a number")
    }
}
