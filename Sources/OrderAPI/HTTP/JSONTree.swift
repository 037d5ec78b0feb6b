/// A small JSON tree for problem extension members, encoded without losing shape.
public enum JSONTree: Sendable, Equatable, Encodable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONTree])
    case object([String: JSONTree])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
