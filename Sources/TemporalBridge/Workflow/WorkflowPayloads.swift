#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encodes and decodes workflow/activity values as Temporal payloads (json/plain, binary/null).
/// The one place where the runtime turns Swift values into payloads.
enum WorkflowPayloads {
    private static let converter = PayloadConverter()

    static func encode<T: Encodable>(_ value: T) throws -> Temporal_Api_Common_V1_Payload {
        try converter.toPayload(value)
    }

    /// A missing payload decodes as nil (optionals) or `EmptyValue`; decoding failures are
    /// non-retryable application failures, since retrying cannot fix the input.
    static func decode<T: Decodable>(_ payload: Temporal_Api_Common_V1_Payload?, as type: T.Type) throws -> T {
        guard let payload else {
            if let none = (T.self as? any PayloadOptional.Type)?.payloadNone as? T { return none }
            if T.self == EmptyValue.self, let empty = EmptyValue() as? T { return empty }
            throw ApplicationFailure(
                type: "PayloadDecodingError", message: "no payload to decode as \(T.self)",
                nonRetryable: true)
        }
        if T.self == EmptyValue.self, let empty = EmptyValue() as? T { return empty }
        do {
            return try converter.fromPayload(payload, as: T.self)
        } catch {
            throw ApplicationFailure(
                type: "PayloadDecodingError", message: "cannot decode \(T.self): \(error)",
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
