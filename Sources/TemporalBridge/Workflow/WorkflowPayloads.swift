import Foundation

/// Encodes and decodes workflow/activity values as Temporal payloads (json/plain, binary/null).
/// The one place where the runtime turns Swift values into payloads.
enum WorkflowPayloads {
    static func encode<T: Encodable>(_ value: T) throws -> Temporal_Api_Common_V1_Payload {
        var payload = Temporal_Api_Common_V1_Payload()
        if let optional = value as? any OptionalProtocol, optional.isNone {
            payload.metadata["encoding"] = Data("binary/null".utf8)
            return payload
        }
        payload.metadata["encoding"] = Data("json/plain".utf8)
        payload.data = try JSONEncoder().encode(value)
        return payload
    }

    static func decode<T: Decodable>(_ payload: Temporal_Api_Common_V1_Payload?, as type: T.Type) throws -> T {
        let encoding = payload.flatMap { $0.metadata["encoding"] }.map { String(decoding: $0, as: UTF8.self) }
        if payload == nil || encoding == "binary/null" {
            if let none = (T.self as? any OptionalProtocol.Type)?.nilValue as? T { return none }
            if T.self == EmptyValue.self, let empty = EmptyValue() as? T { return empty }
            throw ApplicationFailure(type: "PayloadDecodingError",
                                     message: "no payload to decode as \(T.self)", nonRetryable: true)
        }
        do {
            return try JSONDecoder().decode(T.self, from: payload!.data)
        } catch {
            throw ApplicationFailure(type: "PayloadDecodingError",
                                     message: "cannot decode \(T.self) from \(encoding ?? "?") payload: \(error)",
                                     nonRetryable: true)
        }
    }
}

/// The result type of activities and workflows that return nothing.
public struct EmptyValue: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

protocol OptionalProtocol {
    var isNone: Bool { get }
    static var nilValue: Self { get }
}

extension Optional: OptionalProtocol {
    var isNone: Bool { self == nil }
    static var nilValue: Optional<Wrapped> { nil }
}
