#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON of `json/plain` payloads: compact (no whitespace, no escaped slashes) with sorted keys, so the
/// bytes are deterministic across processes and match the Python SDK's
/// `json.dumps(separators=(",", ":"), sort_keys=True)` for ASCII text. Dates are ISO 8601 strings as the
/// other SDKs write them, and read with or without fractional seconds (Python writes microseconds).
enum PayloadJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try PayloadJSONEncoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try PayloadJSONDecoder.decode(type, from: data)
    }

    static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
