import Foundation

/// One result row, every column kept in PostgreSQL's text format (results are requested as text)
/// and converted on access by the typed getters.
public struct PostgresRow: Sendable {
    /// Column name → position, shared by all rows of one result.
    let columnIndex: [String: Int]
    /// Text value per column; nil is SQL NULL.
    let values: [String?]

    init(columnIndex: [String: Int], values: [String?]) {
        self.columnIndex = columnIndex
        self.values = values
    }

    public var columnNames: [String] {
        columnIndex.sorted { $0.value < $1.value }.map(\.key)
    }

    /// The column's raw text, nil for SQL NULL or an unknown column.
    public subscript(column name: String) -> String? {
        guard let index = columnIndex[name] else { return nil }
        return values[index]
    }

    public func hasColumn(_ name: String) -> Bool { columnIndex[name] != nil }

    // MARK: typed getters (throw on NULL / unknown column / bad format)

    public func string(_ name: String) throws(PostgresError) -> String {
        guard let text = try optionalString(name) else { throw nullError(name) }
        return text
    }

    public func optionalString(_ name: String) throws(PostgresError) -> String? {
        guard let index = columnIndex[name] else {
            throw PostgresError(kind: .decoding, message: "no column \"\(name)\" in result")
        }
        return values[index]
    }

    public func int(_ name: String) throws(PostgresError) -> Int {
        guard let value = try optionalInt(name) else { throw nullError(name) }
        return value
    }

    public func optionalInt(_ name: String) throws(PostgresError) -> Int? {
        guard let text = try optionalString(name) else { return nil }
        guard let value = Int(text) else { throw formatError(name, text, "an integer") }
        return value
    }

    public func int64(_ name: String) throws(PostgresError) -> Int64 {
        guard let text = try optionalString(name) else { throw nullError(name) }
        guard let value = Int64(text) else { throw formatError(name, text, "an integer") }
        return value
    }

    public func bool(_ name: String) throws(PostgresError) -> Bool {
        switch try string(name) {
        case "t", "true": return true
        case "f", "false": return false
        case let text: throw formatError(name, text, "a boolean")
        }
    }

    /// `timestamptz` in ISO style (the pool sets `DateStyle=ISO`, `TimeZone=UTC`).
    public func date(_ name: String) throws(PostgresError) -> Date {
        guard let value = try optionalDate(name) else { throw nullError(name) }
        return value
    }

    public func optionalDate(_ name: String) throws(PostgresError) -> Date? {
        guard let text = try optionalString(name) else { return nil }
        guard let value = PostgresTimestamp.parse(text) else { throw formatError(name, text, "a timestamp") }
        return value
    }

    /// The error of a getter that found SQL NULL where it needs a value.
    public func nullError(_ name: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(name)\" is NULL")
    }

    /// The error of a getter whose column text is not what it converts (`expected`: "an integer", ...).
    public func formatError(_ name: String, _ text: String, _ expected: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(name)\" value \"\(text)\" is not \(expected)")
    }
}
