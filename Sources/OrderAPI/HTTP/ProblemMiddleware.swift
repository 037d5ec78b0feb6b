import Foundation
import Hummingbird
import Logging
import NIOCore
import OpsHTTP
import OrderCore
import PostgresClient

/// Hand-written because Hummingbird answers an error as `application/json` `{"error":{"message":…}}`, not RFC 9457
/// problem+json, and a known path with the wrong method as 404 without `Allow`.
///
/// Turns every error below it into an `application/problem+json` response, so clients
/// never see Hummingbird's plain error bodies. Unknown routes become 404, a known path
/// with the wrong method becomes 405 with `Allow`; anything unexpected is a logged 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return Self.render(problem)
        } catch let error as any HTTPResponseError {
            return Self.render(translate(error, request: request))
        } catch let error as PostgresError where error.isTransient {
            context.logger.error("Database error", metadata: ["error": "\(error)"])
            return Self.render(
                ProblemDetails(
                    .serviceUnavailable, status: .serviceUnavailable, detail: "The database is unavailable.",
                    headers: [.retryAfter: "5"]
                ))
        } catch is NIOTooManyBytesError {
            return Self.render(ProblemDetails.tooLarge)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.render(
                ProblemDetails(.internalError, status: .internalServerError, detail: "An unexpected error occurred."))
        }
    }

    private func translate(_ error: any HTTPResponseError, request: Request) -> ProblemDetails {
        switch error.status {
        case .notFound:
            let allowed = routes.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
                return ProblemDetails(
                    .methodNotAllowed, status: .methodNotAllowed,
                    detail: "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(allow).",
                    headers: [.allow: allow]
                )
            }
            return ProblemDetails(
                .routeNotFound, status: .notFound,
                detail: "No route for \(request.method.rawValue) \(request.uri.path).")
        case .contentTooLarge:
            return ProblemDetails.tooLarge
        default:
            let kind: ProblemKind = error.status.code >= 500 ? .internalError : .invalidRequest
            return ProblemDetails(kind, status: error.status, detail: error.status.reasonPhrase)
        }
    }

    static func render(_ problem: ProblemDetails) -> Response {
        let body = ProblemBody(problem)
        let data = (try? JSONResponse.encoder.encode(body)) ?? Data(#"{"status":500}"#.utf8)
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The wire shape of a problem, with extension members merged at the top level.
private struct ProblemBody: Encodable {
    let problem: ProblemDetails

    init(_ problem: ProblemDetails) { self.problem = problem }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in problem.extensions { try container.encode(value, forKey: Key(name)) }
        try container.encode(problem.kind.typeURI, forKey: Key("type"))
        try container.encode(problem.kind.title, forKey: Key("title"))
        try container.encode(Int(problem.status.code), forKey: Key("status"))
        try container.encode(problem.detail, forKey: Key("detail"))
        try container.encode(problem.errors, forKey: Key("errors"))
    }
}
