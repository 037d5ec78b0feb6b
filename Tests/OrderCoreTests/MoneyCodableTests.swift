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

@Suite("Money's Double path against its exact digits")
struct MoneyDoublePathTests {
    private struct Wrapper: Codable, Equatable { var amount: Money }

    /// Every cent value near zero, around each power of ten and up to the Double path's bound, then past it. Sized to
    /// run in about a second: the loop holds one of the test run's cooperative threads, and on two cores a longer
    /// hold delayed every other suite's tests by seconds (the Redis rate limiter's timing tests among them).
    private static var samples: [Int64] {
        var values = Array(Int64(-5_000)...5_000)
        var power: Int64 = 100
        while power < Int64.max / 10 {
            values += [power - 1, power, power + 1, power * 9 + 99, -power - 7]
            power *= 10
        }
        let bound: Int64 = 1 << 52
        values += [bound - 1, bound, bound + 1, -(bound - 1), Int64.max, Int64.min + 1]
        var generator = SplitMix64(seed: 18)
        values += (0..<5_000).map { _ in Int64.random(in: -(bound * 2)...(bound * 2), using: &generator) }
        return values
    }

    /// Seeded, so a failing amount fails again on the next run.
    private struct SplitMix64: RandomNumberGenerator {
        var seed: UInt64

        mutating func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("JSONEncoder writes each amount as its shortest digits and JSONDecoder reads it back")
    func encodesExactDigits() throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        for cents in Self.samples {
            let money = Money(cents: cents)
            let json = String(decoding: try encoder.encode(Wrapper(amount: money)), as: UTF8.self)
            #expect(json == #"{"amount":\#(money.jsonNumberText)}"#)
            #expect(try decoder.decode(Wrapper.self, from: Data(json.utf8)).amount == money)
        }
    }

    @Test("a number one digit past two decimals is refused even where a Double cannot tell it apart")
    func refusesWhatTheDoubleHides() {
        for json in ["1.0000000000000001", "45035996273704.961", "0.0100000000000000001", "12.345"] {
            #expect(throws: DecodingError.self, "\(json)") {
                try JSONDecoder().decode(Wrapper.self, from: Data(#"{"amount":\#(json)}"#.utf8))
            }
        }
    }
}
