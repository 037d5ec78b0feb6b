import Foundation

/// An amount of money, kept as an exact integer number of cents.
///
/// Amounts travel as JSON numbers with at most two decimals (`1299.99`). They are parsed from the
/// number's literal text and written from integer cents; where a `Double` carries them in between
/// (the Codable conformance), only amounts it holds exactly take that way.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let cents: Int64

    public static let zero = Money(cents: 0)

    public init(cents: Int64) {
        self.cents = cents
    }

    /// Parses exact decimal text in JSON number syntax: "12.5", "0.10", "1e2", "1.2345e2" (= 123.45).
    /// Rejects anything with more than two decimals after normalising ("1.005", "1e-3") and
    /// amounts that do not fit in Int64 cents.
    public static func parse(_ text: String) throws(MoneyError) -> Money {
        guard let literal = DecimalLiteral(jsonText: text) else { throw .notANumber(text) }
        switch literal.scaled(byPowerOfTen: 2) {
        case .value(let cents): return Money(cents: cents)
        case .notAnInteger: throw .tooManyDecimals(text)
        case .overflow: throw .outOfRange(text)
        }
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (sum, overflow) = cents.addingReportingOverflow(other.cents)
        if overflow { throw .arithmeticOverflow }
        return Money(cents: sum)
    }

    public func multiplied(by quantity: Int) throws(MoneyError) -> Money {
        let (product, overflow) = cents.multipliedReportingOverflow(by: Int64(quantity))
        if overflow { throw .arithmeticOverflow }
        return Money(cents: product)
    }

    /// Always two decimals: "12.50", "0.05", "-3.00".
    public var description: String {
        let whole = cents.magnitude / 100
        let fraction = cents.magnitude % 100
        let sign = cents < 0 ? "-" : ""
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The shortest JSON number for this amount: "1299.99", "12.5", "100", "-0.05".
    public var jsonNumberText: String {
        let whole = cents.magnitude / 100
        let fraction = cents.magnitude % 100
        let sign = cents < 0 ? "-" : ""
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The amount as a Foundation `Decimal` (exact: cents × 10⁻²).
    public var decimalValue: Decimal {
        Decimal(sign: cents < 0 ? .minus : .plus, exponent: -2, significand: Decimal(cents.magnitude))
    }
}

extension Money: Codable {
    /// Below this many cents (4.5 × 10¹³ in units) the gap between neighbouring doubles is under a cent, so the
    /// double nearest an amount (cents / 100, correctly rounded) belongs to that amount alone, and its shortest
    /// form, which JSONEncoder writes, is the amount's own digits. Amounts go through a `Double` only below it;
    /// the `Decimal` way costs ~15,000 instructions an amount in `Decimal.description` (the worker codes ~13
    /// amounts per order).
    private static let exactInDouble: UInt64 = 1 << 52

    /// Decodes from a JSON number. Foundation's JSONDecoder hands `Decimal` over built from the
    /// number's text (not via Double), exact up to 38 significant digits — far more than Int64
    /// cents can hold. The cents are taken from the number as a `Double` when that gives exactly the
    /// `Decimal`; otherwise (more decimals, huge amounts) the `Decimal`'s plain digits are parsed with
    /// `Money.parse`, which also names what is wrong.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let decimal = try container.decode(Decimal.self)
        if let double = try? container.decode(Double.self), (double * 100).magnitude < Double(Self.exactInDouble) {
            let candidate = Money(cents: Int64((double * 100).rounded()))
            if candidate.decimalValue == decimal {
                self = candidate
                return
            }
        }
        do {
            self = try Money.parse(decimal.description)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid amount: \(error.description)")
        }
    }

    /// Encodes as a JSON number of the exact digits ("1299.99"): as the `Double` nearest the amount where that
    /// is exact (see `exactInDouble`; JSONEncoder writes a `Double` in its shortest form), else as a `Decimal`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if cents.magnitude < Self.exactInDouble {
            try container.encode(Double(cents) / 100)
        } else {
            try container.encode(decimalValue)
        }
    }
}
