import Hummingbird

/// Every (method, path) the API serves. Used to answer 405 with `Allow` for a known path
/// with a wrong method, and by the test that checks the OpenAPI document against what is
/// actually routed.
public struct RouteTable: Sendable {
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public let method: HTTPRequest.Method
        /// OpenAPI-style template, e.g. `/api/orders/{id}`.
        public let path: String
        public var description: String { "\(method.rawValue) \(path)" }
    }

    public let all: [Entry]

    /// The methods registered for a concrete request path.
    func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(path)
        return all.filter { Self.matches(template: Self.segments($0.path), segments) }.map(\.method)
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(template: [Substring], _ segments: [Substring]) -> Bool {
        guard template.count == segments.count else { return false }
        return zip(template, segments).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}

/// One route: where, and what answers it.
struct APIRoute<Context: RequestContext>: Sendable {
    let method: HTTPRequest.Method
    /// OpenAPI style (`{id}`); converted to Hummingbird's `:id` when registered.
    let path: String
    let handler: @Sendable (Request, Context) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.handler = handler
    }

    var entry: RouteTable.Entry { .init(method: method, path: path) }

    func register(on router: Router<Context>) {
        let hummingbirdPath = path.replacing(/\{(\w+)\}/) { ":\($0.output.1)" }
        let handler = handler
        router.on(RouterPath(hummingbirdPath), method: method) { request, context in
            try await handler(request, context)
        }
    }
}
