import Dispatch
import Foundation
import Hummingbird
import Logging

/// Hand-written because Hummingbird's `LogRequestsMiddleware` logs a request on arrival only: its line has
/// method, path and headers, but no status, no duration and no route (it is kept below, at debug, for headers).
///
/// One structured line per request after it is answered: method, path, route, status, duration.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let elapsedMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        context.logger.info(
            "access",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.route": .string(context.endpointPath ?? "-"),
                "http.status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.1f", elapsedMs)),
            ]
        )
        return response
    }
}
