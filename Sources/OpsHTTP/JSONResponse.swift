import Foundation
import Hummingbird

/// The one way both executables write a JSON body: snake_case keys are spelled out in the DTOs, dates are
/// ISO 8601, keys are sorted for stable diffs.
public enum JSONResponse {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok,
        contentType: String = "application/json", headers: HTTPFields = [:]
    ) throws -> Response {
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
