import Dispatch
import Foundation
import Hummingbird
import Logging

/// One structured line per request after it is answered: method, path, route, status,
/// duration. (Hummingbird's `LogRequestsMiddleware` logs the request on arrival only.)
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
