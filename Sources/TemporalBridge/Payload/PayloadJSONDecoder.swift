#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `Decoder` of `json/plain` payloads: reads what `PayloadJSONEncoder` and the other SDKs write, as
/// Foundation's `JSONDecoder` would with `PayloadJSON`'s settings (dates in ISO 8601 with or without
/// fractional seconds, Base64 data, `Decimal` from a number's digits), without its run-time generic
/// metadata look-ups.
final class PayloadJSONDecoder: Decoder {
    let value: JSONInput
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONInput, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    /// Decodes a `T` from a JSON document.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let root: JSONInput
        do {
            root = try data.withUnsafeBytes { bytes throws(JSONSyntaxError) in try JSONInput.parse(bytes) }
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The given data was not valid JSON.", underlyingError: error))
        }
        return try unbox(root, as: T.self, codingPath: [])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw Self.mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw Self.mismatch([Any].self, value, codingPath)
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }

    // MARK: - Values

    /// `value` as a `T`: the types Foundation's JSONDecoder reads in a fixed form, then any other
    /// `Decodable` through its own `init(from:)`.
    static func unbox<T: Decodable>(_ value: JSONInput, as type: T.Type, codingPath: @autoclosure () -> [any CodingKey])
        throws -> T
    {
        if T.self == Date.self { return try date(value, codingPath()) as! T }
        if T.self == Data.self { return try data(value, codingPath()) as! T }
        if T.self == URL.self { return try url(value, codingPath()) as! T }
        if T.self == Decimal.self { return try decimal(value, codingPath()) as! T }
        return try T(from: PayloadJSONDecoder(value: value, codingPath: codingPath()))
    }

    static func bool(_ value: JSONInput, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(Bool.self, value, codingPath()) }
        return bool
    }

    static func string(_ value: JSONInput, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, value, codingPath()) }
        return string
    }

    /// An integer from a number written as one, or as a float with an exact integral value ("2.0", "1e3").
    static func integer<T: FixedWidthInteger>(
        _ value: JSONInput, as type: T.Type, _ codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        guard case .number(let text) = value else { throw mismatch(T.self, value, codingPath()) }
        if let integer = T(text) { return integer }
        if let double = Double(text), let integer = T(exactly: double) { return integer }
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath(), debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self).")
        )
    }

    static func float<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: JSONInput, as type: T.Type, _ codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        guard case .number(let text) = value else { throw mismatch(T.self, value, codingPath()) }
        guard let float = T(text), float.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath(),
                    debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self)."))
        }
        return float
    }

    private static func date(_ value: JSONInput, _ codingPath: [any CodingKey]) throws -> Date {
        let text = try string(value, codingPath)
        if let date = PayloadJSON.parseISO8601(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
    }

    private static func data(_ value: JSONInput, _ codingPath: [any CodingKey]) throws -> Data {
        guard let data = Data(base64Encoded: try string(value, codingPath)) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
        }
        return data
    }

    private static func url(_ value: JSONInput, _ codingPath: [any CodingKey]) throws -> URL {
        guard let url = URL(string: try string(value, codingPath)) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Invalid URL string."))
        }
        return url
    }

    private static func decimal(_ value: JSONInput, _ codingPath: [any CodingKey]) throws -> Decimal {
        guard case .number(let text) = value else { throw mismatch(Decimal.self, value, codingPath) }
        guard let decimal = decimal(fromNumber: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "Parsed JSON number <\(text)> does not fit in Decimal.")
            )
        }
        return decimal
    }

    /// Plain numbers of up to 19 digits ("1299.99", "-5", "0.10") are built from their digits directly:
    /// `Decimal(string:)`'s general parser costs ten times as much. Exponents, longer numbers and zero
    /// go to `Decimal(string:)`.
    static func decimal(fromNumber text: String) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        var negative = false
        var fraction = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                negative = true
            case UInt8(ascii: "."):
                fraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if significand > 0 || byte != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 19 else { return Decimal(string: text) }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if fraction { exponent -= 1 }
            default:
                return Decimal(string: text)
            }
        }
        guard significand > 0 else { return Decimal(string: text) }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    static func mismatch(_ type: Any.Type, _ value: JSONInput, _ codingPath: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(
            type,
            .init(
                codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(value.kind) instead.")
        )
    }

    // MARK: - Containers

    private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: JSONInputObject
        let codingPath: [any CodingKey]

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        private func value(_ key: Key) throws -> JSONInput {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(
                    key,
                    .init(
                        codingPath: codingPath,
                        debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try value(key) { return true }
            return false
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            try PayloadJSONDecoder.bool(value(key), codingPath + [key])
        }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            try PayloadJSONDecoder.string(value(key), codingPath + [key])
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            try PayloadJSONDecoder.float(value(key), as: type, codingPath + [key])
        }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
            try PayloadJSONDecoder.float(value(key), as: type, codingPath + [key])
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try PayloadJSONDecoder.unbox(value(key), as: type, codingPath: codingPath + [key])
        }

        private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
            try PayloadJSONDecoder.integer(value(key), as: type, codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try PayloadJSONDecoder(value: value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try PayloadJSONDecoder(value: value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            PayloadJSONDecoder(
                value: members[JSONKey.super.stringValue] ?? .null, codingPath: codingPath + [JSONKey.super])
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            PayloadJSONDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
        }
    }

    private struct UnkeyedContainer: UnkeyedDecodingContainer {
        let elements: [JSONInput]
        let codingPath: [any CodingKey]
        private(set) var currentIndex = 0

        init(elements: [JSONInput], codingPath: [any CodingKey]) {
            self.elements = elements
            self.codingPath = codingPath
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }
        private var path: [any CodingKey] { codingPath + [JSONKey(index: currentIndex)] }

        /// The next element, for `decode` to read; the index moves on only once it has been read.
        private func next(_ type: Any.Type) throws -> JSONInput {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    type, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
            }
            return elements[currentIndex]
        }

        private mutating func advance<T>(_ value: T) -> T {
            currentIndex += 1
            return value
        }

        mutating func decodeNil() throws -> Bool {
            guard case .null = try next(Never.self) else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool {
            advance(try PayloadJSONDecoder.bool(next(type), path))
        }
        mutating func decode(_ type: String.Type) throws -> String {
            advance(try PayloadJSONDecoder.string(next(type), path))
        }
        mutating func decode(_ type: Double.Type) throws -> Double {
            advance(try PayloadJSONDecoder.float(next(type), as: type, path))
        }
        mutating func decode(_ type: Float.Type) throws -> Float {
            advance(try PayloadJSONDecoder.float(next(type), as: type, path))
        }
        mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            advance(try PayloadJSONDecoder.unbox(next(type), as: type, codingPath: path))
        }

        private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            advance(try PayloadJSONDecoder.integer(next(type), as: type, path))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            advance(try PayloadJSONDecoder(value: next(type), codingPath: path).container(keyedBy: type))
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            advance(try PayloadJSONDecoder(value: next([Any].self), codingPath: path).unkeyedContainer())
        }

        mutating func superDecoder() throws -> any Decoder {
            advance(PayloadJSONDecoder(value: try next((any Decoder).self), codingPath: path))
        }
    }

    private struct SingleValueContainer: SingleValueDecodingContainer {
        let value: JSONInput
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool { try PayloadJSONDecoder.bool(value, codingPath) }
        func decode(_ type: String.Type) throws -> String { try PayloadJSONDecoder.string(value, codingPath) }
        func decode(_ type: Double.Type) throws -> Double { try PayloadJSONDecoder.float(value, as: type, codingPath) }
        func decode(_ type: Float.Type) throws -> Float { try PayloadJSONDecoder.float(value, as: type, codingPath) }
        func decode(_ type: Int.Type) throws -> Int { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: Int8.Type) throws -> Int8 { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: Int16.Type) throws -> Int16 { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: Int32.Type) throws -> Int32 { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: Int64.Type) throws -> Int64 { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: UInt.Type) throws -> UInt { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try PayloadJSONDecoder.integer(value, as: type, codingPath) }
        func decode(_ type: UInt16.Type) throws -> UInt16 {
            try PayloadJSONDecoder.integer(value, as: type, codingPath)
        }
        func decode(_ type: UInt32.Type) throws -> UInt32 {
            try PayloadJSONDecoder.integer(value, as: type, codingPath)
        }
        func decode(_ type: UInt64.Type) throws -> UInt64 {
            try PayloadJSONDecoder.integer(value, as: type, codingPath)
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try PayloadJSONDecoder.unbox(value, as: type, codingPath: codingPath)
        }
    }
}
