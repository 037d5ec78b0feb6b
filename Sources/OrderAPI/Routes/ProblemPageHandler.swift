import Hummingbird

/// `GET /problems/{slug}`: the human page behind each problem `type` URI the API returns
/// (title, status, what it means, what to do). An unknown slug is a 404 problem.
struct ProblemPageHandler: Sendable {
    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        guard let kind = ProblemKind(rawValue: slug) else {
            let known = ProblemKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ProblemDetails(
                .routeNotFound, status: .notFound, detail: "No problem type '\(slug)'; the API's types are: \(known).")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: Self.page(kind))))
    }

    static func page(_ kind: ProblemKind) -> String {
        let others = ProblemKind.allCases.filter { $0 != kind }
            .map { "<li><a href=\"\($0.typeURI)\">\(escape($0.title))</a></li>" }.joined()
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(kind.title)) · OrderFlow API problem</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}\
            code{background:#f3f3f3;padding:0 .2em}</style>
            </head>
            <body>
            <h1>\(escape(kind.title))</h1>
            <p>HTTP <strong>\(kind.status.code) \(escape(kind.status.reasonPhrase))</strong>, \
            problem type <code>\(escape(kind.typeURI))</code> (RFC 9457 <code>application/problem+json</code>).</p>
            <h2>What it means</h2>
            <p>\(escape(kind.meaning))</p>
            <h2>What to do</h2>
            <p>\(escape(kind.remedy))</p>
            <p>The response's <code>detail</code> says what went wrong with that request; \
            <a href="/openapi.yaml">/openapi.yaml</a> describes every route.</p>
            <h2>Other problem types</h2>
            <ul>\(others)</ul>
            </body>
            </html>

            """
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
