import Testing

@testable import OrderCore

@Suite("Money parsing from exact decimal text")
struct MoneyParsingTests {
    @Test(
        "accepted literals and their cents",
        arguments: [
            ("0", Int64(0)),
            ("0.1", 10),
            ("0.10", 10),
            ("0.01", 1),
            ("12.5", 1250),
            ("1299.99", 129_999),
            ("1e2", 10_000),
            ("1E2", 10_000),
            ("1e+2", 10_000),
            ("1.2345e2", 12_345),
            ("12345e-2", 12_345),
            ("1.000", 100),
            ("-1", -100),
            ("-0.05", -5),
            ("1000000", 100_000_000),
            ("0e-999999999999999999999", 0),
            ("92233720368547758.07", Int64.max),
        ])
    func accepted(text: String, cents: Int64) throws {
        #expect(try Money.parse(text) == Money(cents: cents))
    }

    @Test("negative zero is zero")
    func negativeZero() throws {
        #expect(try Money.parse("-0") == .zero)
        #expect(try Money.parse("-0.00") == .zero)
        #expect(try Money.parse("-0").description == "0.00")
    }

    @Test(
        "more than two decimals after normalising is refused",
        arguments: ["1.005", "1e-3", "0.001", "123.4567e1", "0.0000000000000000000000001"])
    func tooManyDecimals(text: String) {
        #expect(throws: MoneyError.tooManyDecimals(text)) { try Money.parse(text) }
    }

    @Test(
        "not JSON number syntax is refused",
        arguments: [
            "", "+1", "01.5", ".5", "1.", "-", "1e", "1e+", "abc", " 1", "1 ", "1,5", "0x10", "NaN", "Infinity",
            "1.2.3", "--1", "1e2.5",
        ])
    func notANumber(text: String) {
        #expect(throws: MoneyError.notANumber(text)) { try Money.parse(text) }
    }

    @Test(
        "amounts beyond Int64 cents are refused",
        arguments: ["92233720368547758.08", "1e17", "99999999999999999999999", "1e999999999999999999"])
    func overflow(text: String) {
        #expect(throws: MoneyError.outOfRange(text)) { try Money.parse(text) }
    }

    @Test("decimal literal keeps the exact significand and exponent")
    func decimalLiteralDecomposition() throws {
        #expect(DecimalLiteral(jsonText: "-0012.34") == nil)
        let literal = try #require(DecimalLiteral(jsonText: "-12.3400e1"))
        #expect(literal.isNegative)
        #expect(literal.significand == [1, 2, 3, 4])
        #expect(literal.exponent == -1)
        #expect(literal.scaled(byPowerOfTen: 0) == .notAnInteger)
        #expect(literal.scaled(byPowerOfTen: 1) == .value(-1234))
    }
}
