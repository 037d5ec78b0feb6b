/// A JSON object's members in document order. Keys are unique: the parser rejects duplicates,
/// because "which of the two values counts" must never be a guess.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [Member]
    private var indexByKey: [String: Int]

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
    }

    public init() {
        members = []
        indexByKey = [:]
    }

    public subscript(key: String) -> JSONValue? {
        indexByKey[key].map { members[$0].value }
    }

    public var keys: [String] { members.map(\.key) }

    /// Adds a member; returns false (and changes nothing) if the key is already present.
    @discardableResult
    public mutating func insert(key: String, value: JSONValue) -> Bool {
        guard indexByKey[key] == nil else { return false }
        indexByKey[key] = members.count
        members.append(Member(key: key, value: value))
        return true
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }
}
