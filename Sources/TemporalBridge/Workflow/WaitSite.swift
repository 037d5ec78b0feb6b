/// Where workflow code waits: the call site (`#fileID`, `#line`) of the `Workflow` API it awaits,
/// which the `__stack_trace` query names so the Web UI's Call Stack points at code.
///
/// A `StaticString` and an integer: no allocation, so every pending wait of every cached run can
/// carry one.
struct WaitSite: Sendable, CustomStringConvertible {
    let fileID: StaticString
    let line: UInt

    init(_ fileID: StaticString, _ line: UInt) {
        self.fileID = fileID
        self.line = line
    }

    /// `Module/File.swift:27`.
    var description: String { "\(fileID):\(line)" }
}
