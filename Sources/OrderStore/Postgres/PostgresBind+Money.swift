import OrderCore
import PostgresClient

extension PostgresBind {
    /// An exact NUMERIC value (`"1299.99"`).
    public static func money(_ value: Money) -> PostgresBind { PostgresBind(text: value.description) }
    public static func money(_ value: Money?) -> PostgresBind { PostgresBind(text: value?.description) }
}
