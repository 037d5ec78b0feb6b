import HTTPTypes
import Hummingbird
import Logging

/// Hand-written because Hummingbird 2.28 has no request-id middleware: it puts a generated `RequestID` in the
/// logger (`hb.request.id`) but never takes the caller's `X-Request-Id` nor sends one back.
///
/// Gives every request an id: the caller's `X-Request-Id` when it is sane (so ids can be
/// traced across services), otherwise Hummingbird's generated request id. The id is put
/// in the logger metadata (`request_id`) and echoed in the `X-Request-Id` response header.
struct RequestIdMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headerName: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let requestId = request.headers[Self.headerName].flatMap(Self.acceptable) ?? context.id
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestId)
        var response = try await next(request, context)
        response.headers[Self.headerName] = requestId
        return response
    }

    /// 1–128 characters of `[A-Za-z0-9._:-]`: anything else could forge log lines.
    static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.count),
            value.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:-".unicodeScalars.contains($0))
            })
        else { return nil }
        return value
    }
}
