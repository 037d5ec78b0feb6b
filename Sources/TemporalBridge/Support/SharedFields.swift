/// The fields of an options value, on the heap and never mutated: a struct holding one is a single pointer,
/// and changing a field swaps in a new box, so the struct keeps value semantics.
///
/// Why options types use it: an activity's options are copied into the async frame of each call on the way to
/// scheduling it, and a workflow run suspended at that point keeps those frames for as long as it is cached.
/// Inline, the fields (~200 bytes) made several of those frames outgrow the task allocator's 1 KB slabs.
final class SharedFields<Fields: Sendable & Equatable>: Sendable, Equatable {
    let fields: Fields

    init(_ fields: Fields) { self.fields = fields }

    /// A box with `change` applied to a copy of these fields.
    func updating(_ change: (inout Fields) -> Void) -> SharedFields {
        var fields = self.fields
        change(&fields)
        return SharedFields(fields)
    }

    static func == (lhs: SharedFields, rhs: SharedFields) -> Bool {
        lhs === rhs || lhs.fields == rhs.fields
    }
}
