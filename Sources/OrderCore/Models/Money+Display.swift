extension Money {
    /// For people: thousands grouped with commas, always two decimals ("2,599.98", "-1,000.00").
    /// Used in texts shown by the Temporal Web UI; JSON carries `jsonNumberText`.
    public var displayText: String {
        let plain = description
        let negative = plain.hasPrefix("-")
        let digits = negative ? plain.dropFirst() : Substring(plain)
        guard let dot = digits.firstIndex(of: ".") else { return plain }
        let whole = Array(digits[..<dot])
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + digits[dot...]
    }
}
