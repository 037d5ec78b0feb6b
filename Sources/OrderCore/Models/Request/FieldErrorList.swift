/// Collects field errors while a request is validated, so every problem is reported at once.
struct FieldErrorList {
    private(set) var errors: [FieldError] = []

    var isEmpty: Bool { errors.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// A required string field, or nil (with the error recorded).
    mutating func requireString(_ value: JSONValue?, field: String) -> String? {
        switch value {
        case .string(let string): return string
        case nil: add(field, "is required")
        case let other?: add(field, "must be a string, not \(other.kindName)")
        }
        return nil
    }

    /// A required number field's literal text, or nil (with the error recorded).
    mutating func requireNumber(_ value: JSONValue?, field: String) -> String? {
        switch value {
        case .number(let text): return text
        case nil: add(field, "is required")
        case let other?: add(field, "must be a number, not \(other.kindName)")
        }
        return nil
    }
}
