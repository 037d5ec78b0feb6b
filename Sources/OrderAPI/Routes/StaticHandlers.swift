import Foundation
import Hummingbird
import OpsHTTP

/// The page (`/`), the OpenAPI document, the page's configuration and the Prometheus
/// text. The page's other assets (app.js, style.css) are served by `FileMiddleware`.
struct StaticHandlers: Sendable {
    let services: APIServices
    let indexHTML: ByteBuffer
    let openAPIYAML: ByteBuffer

    /// Reads the two documents once at startup: a missing file is a packaging error
    /// that should stop the server from starting, not a 404 later.
    init(services: APIServices) throws {
        self.services = services
        let folder = URL(fileURLWithPath: services.publicDirectory)
        indexHTML = ByteBuffer(bytes: try Data(contentsOf: folder.appendingPathComponent("index.html")))
        openAPIYAML = ByteBuffer(bytes: try Data(contentsOf: folder.appendingPathComponent("openapi.yaml")))
    }

    func index(_ request: Request, context: some RequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: indexHTML))
    }

    func openAPI(_ request: Request, context: some RequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: openAPIYAML))
    }

    func config(_ request: Request, context: some RequestContext) async throws -> Response {
        try JSONResponse.make(services.web)
    }

    func metrics(_ request: Request, context: some RequestContext) async throws -> Response {
        try await MetricsEndpoint(registry: services.metricsRegistry).respond(request, context: context)
    }
}
