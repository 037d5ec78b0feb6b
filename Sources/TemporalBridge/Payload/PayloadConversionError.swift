/// Why a value could not be turned into a payload or back.
public enum PayloadConversionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload has no `encoding` metadata.
    case missingEncoding
    /// The payload's encoding cannot produce the requested type (e.g. `binary/protobuf` into a Codable struct).
    case unsupportedEncoding(encoding: String, type: String)
    /// A `binary/null` payload was decoded into a non-optional type.
    case unexpectedNull(type: String)
    /// A `json/protobuf` / `binary/protobuf` payload names another message than the requested one.
    case messageTypeMismatch(expected: String, actual: String)
    /// The payload list has no payload at this index and the target type is not optional.
    case missingPayload(index: Int, count: Int, type: String)
    /// The value could not be encoded (JSONEncoder / protobuf serialization failed).
    case encodingFailed(type: String, reason: String)
    /// The payload data could not be decoded into the requested type.
    case decodingFailed(encoding: String, type: String, reason: String)

    public var description: String {
        switch self {
        case .missingEncoding:
            "payload has no 'encoding' metadata"
        case .unsupportedEncoding(let encoding, let type):
            "cannot decode a '\(encoding)' payload as \(type)"
        case .unexpectedNull(let type):
            "payload is null (binary/null) but \(type) is not optional"
        case .messageTypeMismatch(let expected, let actual):
            "payload holds protobuf message \(actual), expected \(expected)"
        case .missingPayload(let index, let count, let type):
            "no payload at index \(index) (\(count) present) for non-optional \(type)"
        case .encodingFailed(let type, let reason):
            "cannot encode \(type) as a payload: \(reason)"
        case .decodingFailed(let encoding, let type, let reason):
            "cannot decode '\(encoding)' payload as \(type): \(reason)"
        }
    }
}
