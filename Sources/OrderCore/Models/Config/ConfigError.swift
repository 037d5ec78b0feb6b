/// A configuration variable holds a value that cannot be used; the message names the variable.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidValue(variable: String, value: String, expected: String)

    public var variable: String {
        switch self {
        case .invalidValue(let variable, _, _): variable
        }
    }

    public var description: String {
        switch self {
        case .invalidValue(let variable, let value, let expected):
            "invalid \(variable)=\"\(value)\": expected \(expected)"
        }
    }
}
