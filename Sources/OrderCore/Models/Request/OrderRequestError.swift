/// Why a create-order request body was refused (both map to HTTP 400).
public enum OrderRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not a JSON document; the text says what and where.
    case malformedJSON(String)
    /// The body is JSON but fields are missing, of the wrong type or out of range — all of them listed.
    case invalid([FieldError])

    public var fieldErrors: [FieldError] {
        switch self {
        case .malformedJSON: []
        case .invalid(let errors): errors
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let reason): "malformed JSON: \(reason)"
        case .invalid(let errors): "invalid order: " + errors.map(\.description).joined(separator: "; ")
        }
    }
}
