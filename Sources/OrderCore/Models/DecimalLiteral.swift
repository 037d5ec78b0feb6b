/// A JSON number literal taken apart exactly, without ever passing through `Double`:
/// value = (isNegative ? -1 : 1) × significand × 10^exponent.
///
/// Money and request validation both need "is this literal an integer after scaling by 10^n,
/// and does it fit in Int64?", answered on the text the client actually sent.
struct DecimalLiteral: Sendable, Equatable {
    /// Outcome of scaling the literal by a power of ten.
    enum Scaled: Sendable, Equatable {
        case value(Int64)
        /// The scaled value still has a fractional part (e.g. 1.005 scaled by 10^2).
        case notAnInteger
        /// The scaled value does not fit in Int64.
        case overflow
    }

    let isNegative: Bool
    /// Decimal digit values (0...9) without leading or trailing zeros; empty means zero.
    let significand: [UInt8]
    /// Power of ten applied to `significand`; clamped to ±`exponentClamp` for absurd exponents.
    let exponent: Int

    /// Exponents beyond this are all equally "far too big/small"; clamping keeps arithmetic safe.
    private static let exponentClamp = 1_000_000_000

    var isZero: Bool { significand.isEmpty }

    /// Parses exactly the JSON number grammar (RFC 8259 §6):
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?` — no leading `+`, no `01`, no `.5`, no `1.`.
    init?(jsonText: some StringProtocol) {
        let bytes = Array(jsonText.utf8)
        var index = 0
        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var digits: [UInt8] = []
        // Integer part: a single 0, or a non-zero digit followed by digits.
        guard isDigit(peek()) else { return nil }
        if peek() == UInt8(ascii: "0") {
            index += 1
            if isDigit(peek()) { return nil }
        } else {
            while isDigit(peek()) {
                digits.append(bytes[index] - 0x30)
                index += 1
            }
        }
        var fractionLength = 0
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek()) else { return nil }
            while isDigit(peek()) {
                digits.append(bytes[index] - 0x30)
                fractionLength += 1
                index += 1
            }
        }
        var explicitExponent = 0
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
                exponentNegative = peek() == UInt8(ascii: "-")
                index += 1
            }
            guard isDigit(peek()) else { return nil }
            while isDigit(peek()) {
                if explicitExponent < Self.exponentClamp {
                    explicitExponent = explicitExponent * 10 + Int(bytes[index] - 0x30)
                }
                index += 1
            }
            explicitExponent = min(explicitExponent, Self.exponentClamp)
            if exponentNegative { explicitExponent = -explicitExponent }
        }
        guard index == bytes.count else { return nil }

        // Normalise: drop leading zeros (from "0.05") and trailing zeros (from "0.10", "100").
        let firstNonZero = digits.firstIndex { $0 != 0 }
        guard let firstNonZero else {
            self.isNegative = negative
            self.significand = []
            self.exponent = 0
            return
        }
        let lastNonZero = digits.lastIndex { $0 != 0 }!
        let trailingZeros = digits.count - 1 - lastNonZero
        self.isNegative = negative
        self.significand = Array(digits[firstNonZero...lastNonZero])
        self.exponent = explicitExponent - fractionLength + trailingZeros
    }

    /// The literal's value × 10^`places`, exactly, if that is an integer that fits in Int64.
    func scaled(byPowerOfTen places: Int) -> Scaled {
        if isZero { return .value(0) }
        let shift = exponent + places
        if shift < 0 { return .notAnInteger }  // significand has no trailing zeros to absorb it
        // Int64.max has 19 digits; anything longer cannot fit.
        if significand.count + shift > 19 { return .overflow }
        var magnitude: Int64 = 0
        for digit in significand {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return .overflow }
            magnitude = sum
        }
        for _ in 0..<shift {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return .overflow }
            magnitude = times10
        }
        return .value(isNegative ? -magnitude : magnitude)
    }
}
