import Hummingbird

/// The `{id}` path parameter. An id that could never be an order id
/// (`[A-Za-z0-9._-]{1,64}`) is unknown by definition: 404 without asking anyone.
enum OrderIdPath {
    static func get(_ context: some RequestContext) throws -> String {
        guard let id = context.parameters.get("id"), isPlausible(id) else {
            throw ProblemDetails.orderNotFound(context.parameters.get("id") ?? "")
        }
        return id
    }

    static func isPlausible(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
            }
    }
}
