/// Why a text could not become `Money`, or why money arithmetic could not be done.
public enum MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a JSON number (e.g. "+1", ".5", "1.", "01.5", "abc").
    case notANumber(String)
    /// More than two decimal places remain after dropping trailing zeros (e.g. "1.005", "1e-3").
    case tooManyDecimals(String)
    /// The amount does not fit in Int64 cents.
    case outOfRange(String)
    /// An addition or multiplication overflowed Int64 cents.
    case arithmeticOverflow

    public var description: String {
        switch self {
        case .notANumber(let text): "\"\(text)\" is not a number"
        case .tooManyDecimals(let text): "\(text) has more than two decimal places"
        case .outOfRange(let text): "\(text) is too large an amount"
        case .arithmeticOverflow: "amount calculation overflowed"
        }
    }
}
