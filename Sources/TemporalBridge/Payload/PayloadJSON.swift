#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON settings of `json/plain` payloads. Fresh coders per call: they are cheap and this keeps
/// `PayloadConverter` trivially `Sendable`.
enum PayloadJSON {
    /// Compact JSON (no whitespace, no escaped slashes) with sorted keys, so the bytes are deterministic
    /// across processes and match the Python SDK's `json.dumps(separators=(",", ":"), sort_keys=True)`
    /// for ASCII text. Dates are ISO 8601 strings as the other SDKs write them.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Accepts ISO 8601 dates with or without fractional seconds (Python writes microseconds).
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = parseISO8601(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }

    private static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
