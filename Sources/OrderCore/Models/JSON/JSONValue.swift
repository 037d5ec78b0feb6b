/// A parsed JSON document that keeps numbers as their literal text, so amounts and quantities
/// can be checked exactly (no Double rounding) and every field error can be named.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text exactly as sent, e.g. "1299.99", "1e2", "-0".
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// What kind of value this is, for messages like "must be a string, not a number".
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
