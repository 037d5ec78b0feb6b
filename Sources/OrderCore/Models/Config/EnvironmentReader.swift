/// Typed reads of environment variables. An empty value counts as unset (so `FOO=` in a compose
/// file or `.env` falls back to the default instead of becoming an empty host name).
struct EnvironmentReader {
    let environment: [String: String]

    func string(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    func string(_ name: String, default defaultValue: String) -> String {
        string(name) ?? defaultValue
    }

    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text.trimmingASCIIWhitespace()), range.contains(value) else {
            throw .invalidValue(
                variable: name, value: text, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func port(_ name: String, default defaultValue: Int) throws(ConfigError) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text.trimmingASCIIWhitespace()), (1...65535).contains(value) else {
            throw .invalidValue(variable: name, value: text, expected: "a port number from 1 to 65535")
        }
        return value
    }

    func fraction(_ name: String, default defaultValue: Double) throws(ConfigError) -> Double {
        guard let text = string(name) else { return defaultValue }
        guard let value = Double(text.trimmingASCIIWhitespace()), value.isFinite, (0.0...1.0).contains(value) else {
            throw .invalidValue(variable: name, value: text, expected: "a number from 0.0 to 1.0")
        }
        return value
    }

    func milliseconds(_ name: String, default defaultValue: Int, minimum: Int) throws(ConfigError) -> Duration {
        .milliseconds(try integer(name, default: defaultValue, in: minimum...86_400_000))
    }

    /// on/off (also true/false, yes/no, 1/0), any case.
    func flag(_ name: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let text = string(name) else { return defaultValue }
        switch text.trimmingASCIIWhitespace().lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: throw .invalidValue(variable: name, value: text, expected: "on or off")
        }
    }

    func money(_ name: String, default defaultValue: Money) throws(ConfigError) -> Money {
        guard let text = string(name) else { return defaultValue }
        guard let value = try? Money.parse(text.trimmingASCIIWhitespace()), value.cents >= 0 else {
            throw .invalidValue(
                variable: name, value: text, expected: "a non-negative amount with at most two decimals, e.g. 10000.00")
        }
        return value
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
