import Foundation
import Hummingbird

/// Encodes response bodies the same way everywhere: snake_case keys are spelled out in
/// the DTOs, dates are ISO 8601, output is sorted for stable diffs.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok,
        contentType: String = "application/json", headers: HTTPFields = [:]
    ) throws -> Response {
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
