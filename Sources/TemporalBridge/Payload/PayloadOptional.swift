/// Lets the payload converter see through `Optional` inside generic code: nil becomes `binary/null`,
/// and `binary/null` decodes to nil for any optional target type.
protocol PayloadOptional {
    /// The wrapped value, or nil for `.none`.
    var payloadWrappedValue: Any? { get }
    /// `.none` of this optional type.
    static var payloadNone: Self { get }
}

extension Optional: PayloadOptional {
    var payloadWrappedValue: Any? {
        switch self {
        case .some(let wrapped): wrapped
        case .none: nil
        }
    }

    static var payloadNone: Self { .none }
}

/// The innermost non-optional value, or nil when any level of optional is `.none`.
func unwrapPayloadOptional(_ value: Any) -> Any? {
    var current: Any = value
    while let optional = current as? any PayloadOptional {
        guard let wrapped = optional.payloadWrappedValue else { return nil }
        current = wrapped
    }
    return current
}
