import Foundation
import OrderCore
import Testing

@Suite("Money as a JSON number through Foundation's JSONEncoder/JSONDecoder")
struct MoneyCodableTests {
    private struct Wrapper: Codable, Equatable { var amount: Money }

    private func decode(_ json: String) throws -> Money {
        try JSONDecoder().decode(Wrapper.self, from: Data(json.utf8)).amount
    }

    private func encode(_ money: Money) throws -> String {
        String(decoding: try JSONEncoder().encode(Wrapper(amount: money)), as: UTF8.self)
    }

    @Test(
        "encodes the exact digits",
        arguments: [
            (Int64(129_999), #"{"amount":1299.99}"#), (1250, #"{"amount":12.5}"#), (10_000, #"{"amount":100}"#),
            (1, #"{"amount":0.01}"#), (0, #"{"amount":0}"#), (-5, #"{"amount":-0.05}"#),
            (Int64.max, #"{"amount":92233720368547758.07}"#),
        ])
    func encodes(cents: Int64, json: String) throws {
        #expect(try encode(Money(cents: cents)) == json)
    }

    @Test(
        "decodes exactly from the number's text",
        arguments: [
            ("1299.99", Int64(129_999)), ("0.1", 10), ("0.10", 10), ("1e2", 10_000), ("1.2345e2", 12_345),
            ("999.99", 99_999), ("0.07", 7), ("123456789012345.67", 12_345_678_901_234_567), ("-0", 0), ("1.000", 100),
        ])
    func decodes(literal: String, cents: Int64) throws {
        #expect(try decode(#"{"amount":\#(literal)}"#) == Money(cents: cents))
    }

    @Test("round trips every cent value in a range without drift")
    func roundTrip() throws {
        for cents in Int64(0)...2_000 {
            let money = Money(cents: cents * 7 + 99_900)
            let back = try JSONDecoder().decode(Wrapper.self, from: JSONEncoder().encode(Wrapper(amount: money)))
            #expect(back.amount == money)
        }
    }

    @Test(
        "refuses what is not an exact two-decimal amount",
        arguments: ["1.005", "1e-3", "\"12.50\"", "true", "1e30", "null"])
    func refuses(literal: String) {
        #expect(throws: DecodingError.self) { try decode(#"{"amount":\#(literal)}"#) }
    }
}
