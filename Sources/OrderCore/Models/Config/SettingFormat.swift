import Logging

/// How a setting's text becomes its value, and how its default is shown. swift-configuration hands over the
/// text; the checks are ours because its typed getters fall back to the default on a value they cannot
/// convert, where a wrong setting must stop the process and say what was expected.
struct SettingFormat<Value: Sendable>: Sendable {
    typealias Unusable = UnusableSettingValue

    let parse: @Sendable (String) throws(Unusable) -> Value
    let text: @Sendable (Value) -> String
    /// The text as an error message repeats it.
    var shown: @Sendable (String) -> String = { $0 }
    /// Leading and trailing blanks are dropped before parsing, except from free text (a password may have them).
    var trims = true
}

/// Why a setting's text cannot be used: what was expected instead.
struct UnusableSettingValue: Error {
    let expected: String
}

extension SettingFormat where Value == String {
    static var text: Self { Self(parse: { $0 }, text: { $0 }, trims: false) }

    /// `host:port` with a non-empty host (IPv6 in brackets works: the port is after the last colon).
    static var hostPort: Self {
        Self(
            parse: { text throws(Unusable) in
                guard let colon = text.lastIndex(of: ":"), !text[..<colon].isEmpty,
                    let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port)
                else { throw Unusable(expected: "host:port, e.g. localhost:7233") }
                return text
            }, text: { $0 })
    }

    /// An `http://` or `https://` URL, kept without trailing slashes.
    static var webURL: Self {
        Self(
            parse: { text throws(Unusable) in
                guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                    throw Unusable(expected: "an http:// or https:// URL")
                }
                var url = text
                while url.hasSuffix("/") { url.removeLast() }
                return url
            }, text: { $0 })
    }

    /// A `redis://` URL as `RedisSettings` understands it; errors show it without credentials.
    static var redisURL: Self {
        Self(
            parse: { text throws(Unusable) in
                do throws(RedisURLError) {
                    _ = try RedisSettings(url: text)
                } catch {
                    throw Unusable(expected: error.description)
                }
                return text
            }, text: { $0 }, shown: { OrderFlowConfig.redactingCredentials($0) })
    }
}

extension SettingFormat where Value == Int {
    static func integer(in range: ClosedRange<Int>) -> Self {
        Self(
            parse: { text throws(Unusable) in
                guard let value = Int(text), range.contains(value) else {
                    throw Unusable(expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
                }
                return value
            }, text: { String($0) })
    }

    static var port: Self {
        Self(
            parse: { text throws(Unusable) in
                guard let value = Int(text), (1...65535).contains(value) else {
                    throw Unusable(expected: "a port number from 1 to 65535")
                }
                return value
            }, text: { String($0) })
    }
}

extension SettingFormat where Value == Duration {
    /// Whole milliseconds from `minimum` to a day.
    static func milliseconds(minimum: Int) -> Self {
        let integer = SettingFormat<Int>.integer(in: minimum...86_400_000)
        return Self(
            parse: { text throws(Unusable) in .milliseconds(try integer.parse(text)) },
            text: { "\(OrderFlowConfig.milliseconds($0))" })
    }
}

extension SettingFormat where Value == Double {
    static var fraction: Self {
        Self(
            parse: { text throws(Unusable) in
                guard let value = Double(text), value.isFinite, (0.0...1.0).contains(value) else {
                    throw Unusable(expected: "a number from 0.0 to 1.0")
                }
                return value
            }, text: { "\($0)" })
    }
}

extension SettingFormat where Value == Bool {
    /// on/off (also true/false, yes/no, 1/0), any case.
    static var onOff: Self {
        Self(
            parse: { text throws(Unusable) in
                switch text.lowercased() {
                case "on", "true", "yes", "1": return true
                case "off", "false", "no", "0": return false
                default: throw Unusable(expected: "on or off")
                }
            }, text: { $0 ? "on" : "off" })
    }
}

extension SettingFormat where Value == Money {
    static var amount: Self {
        Self(
            parse: { text throws(Unusable) in
                guard let value = try? Money.parse(text), value.cents >= 0 else {
                    throw Unusable(expected: "a non-negative amount with at most two decimals, e.g. 10000.00")
                }
                return value
            }, text: { "\($0)" })
    }
}

extension SettingFormat where Value == CPUList {
    static var cpuList: Self {
        Self(
            parse: { text throws(Unusable) in
                guard let list = CPUList(parsing: text) else {
                    throw Unusable(expected: "CPU numbers and ranges, e.g. 1 or 0-3,6")
                }
                return list
            }, text: { $0.description })
    }
}

extension SettingFormat where Value == Logger.Level {
    /// swift-log's level names, and `warn` for `warning`.
    static var logLevel: Self {
        Self(
            parse: { text throws(Unusable) in
                let name = text.lowercased()
                if let level = Logger.Level(rawValue: name) { return level }
                if name == "warn" { return .warning }
                throw Unusable(expected: "one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }, text: { $0.rawValue })
    }
}

extension SettingFormat {
    /// A setting that may stay unset (nil); `--help` shows `unset` as its default.
    static func optional<Wrapped>(_ format: SettingFormat<Wrapped>, unset: String = "(unset)") -> Self
    where Value == Wrapped? {
        Self(
            parse: { text throws(Unusable) in try format.parse(text) }, text: { $0.map(format.text) ?? unset },
            shown: format.shown, trims: format.trims)
    }
}
