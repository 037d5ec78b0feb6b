import OrderCore
import PostgresClient

extension PostgresRow {
    /// NUMERIC(12,2) → Money, exactly (parsed from the decimal text, never through a Double).
    public func money(_ name: String) throws(PostgresError) -> Money {
        guard let value = try optionalMoney(name) else { throw nullError(name) }
        return value
    }

    public func optionalMoney(_ name: String) throws(PostgresError) -> Money? {
        guard let text = try optionalString(name) else { return nil }
        do {
            return try Money.parse(text)
        } catch {
            throw formatError(name, text, "an amount with at most two decimals")
        }
    }
}
