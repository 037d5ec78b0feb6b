import Foundation

/// One statement parameter, sent to the server in text format as `$n`. The server parses it
/// according to the type it infers for `$n` (add a cast such as `$1::bigint` where needed).
/// Values are never spliced into SQL text.
public struct PostgresBind: Sendable, Hashable {
    /// The parameter's text form; nil is SQL NULL.
    public let text: String?

    public init(text: String?) { self.text = text }

    public static let null = PostgresBind(text: nil)

    public static func string(_ value: String) -> PostgresBind { PostgresBind(text: value) }
    public static func string(_ value: String?) -> PostgresBind { PostgresBind(text: value) }
    public static func int(_ value: Int) -> PostgresBind { PostgresBind(text: String(value)) }
    public static func int64(_ value: Int64) -> PostgresBind { PostgresBind(text: String(value)) }
    public static func bool(_ value: Bool) -> PostgresBind { PostgresBind(text: value ? "true" : "false") }

    /// A `text[]` value in PostgreSQL's array literal syntax (use as `$n::text[]`); every element is
    /// double-quoted with `"` and `\` escaped, so any string round-trips verbatim.
    public static func textArray(_ values: [String]) -> PostgresBind {
        let elements = values.map { value -> String in
            var quoted = "\""
            for character in value {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            quoted.append("\"")
            return quoted
        }
        return PostgresBind(text: "{" + elements.joined(separator: ",") + "}")
    }
}

extension PostgresBind: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(text: value) }
}

extension PostgresBind: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(text: String(value)) }
}
