import Hummingbird
import NIOCore

/// Reading JSON request bodies with the API's limits: at most 64 KiB (413 otherwise,
/// decided from Content-Length before reading when possible) and a JSON media type
/// (`application/json` or `application/*+json`, 415 otherwise).
enum RequestBody {
    static let maxBytes = 64 * 1024

    /// Collects the body after checking size and content type. An empty body is allowed
    /// only when `optional` is true (then the content type is not checked either).
    static func collectJSON(_ request: inout Request, optional: Bool = false) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw ProblemDetails.tooLarge
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails.tooLarge
        }
        if optional && bytes.readableBytes == 0 { return [] }
        guard isJSON(request.headers[.contentType]) else {
            throw ProblemDetails(
                .unsupportedMediaType, status: .unsupportedMediaType,
                detail: "The request body must be JSON (Content-Type: application/json).",
                errors: [.init(field: "Content-Type", message: "must be application/json")]
            )
        }
        return Array(buffer: bytes)
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // `prefix(while:)`, not `split(...)[0]`: an empty or ";…" header has no first part.
        var media = contentType.prefix { $0 != ";" }
        while media.first?.isWhitespace == true { media.removeFirst() }
        while media.last?.isWhitespace == true { media.removeLast() }
        let mediaType = media.lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
