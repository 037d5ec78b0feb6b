#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `Encoder` of `json/plain` payloads. It writes what Foundation's `JSONEncoder` writes with
/// `PayloadJSON`'s settings (sorted keys, unescaped slashes, ISO 8601 dates, Base64 data, `Decimal` as its
/// digits), at a fraction of the cost: Foundation's generic paths look up `Optional` metadata at run time
/// for every value, which made payload JSON a sixth of the worker's instructions per order.
/// `PayloadJSONTests` holds it to Foundation's bytes.
final class PayloadJSONEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What has been encoded so far; nil until the value asks for a container.
    private var storage: JSONOutput?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// The encoded value; a value that encoded nothing is an empty object, as in Foundation.
    var encoded: JSONOutput { storage ?? .object(JSONOutputObject()) }

    /// Encodes `value` as a JSON document. A value that encodes nothing is refused, as Foundation refuses it.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONOutputWriter()
        writer.write(try rootOutput(of: value))
        return writer.bytes
    }

    private static func rootOutput<T: Encodable>(of value: T) throws -> JSONOutput {
        if let fixed = fixedForm(of: value) { return fixed }
        let encoder = PayloadJSONEncoder(codingPath: [])
        try value.encode(to: encoder)
        guard let storage = encoder.storage else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return storage
    }

    /// `value` as a JSON value.
    static func output<T: Encodable>(of value: T, codingPath: @autoclosure () -> [any CodingKey]) throws
        -> JSONOutput
    {
        if let fixed = fixedForm(of: value) { return fixed }
        let encoder = PayloadJSONEncoder(codingPath: codingPath())
        try value.encode(to: encoder)
        return encoder.encoded
    }

    /// The types Foundation's JSONEncoder writes in a fixed form rather than through their `encode(to:)`.
    private static func fixedForm<T: Encodable>(of value: T) -> JSONOutput? {
        if T.self == Date.self { return .string((value as! Date).formatted(.iso8601)) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Decimal.self { return .literal((value as! Decimal).description) }
        return nil
    }

    static func output<F: BinaryFloatingPoint & LosslessStringConvertible>(
        of value: F, codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> JSONOutput {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(
                    codingPath: codingPath(), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON.")
            )
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .literal(text)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONOutputObject
        if case .object(let existing) = storage {
            object = existing
        } else {
            object = JSONOutputObject()
            storage = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONOutputArray
        if case .array(let existing) = storage {
            array = existing
        } else {
            array = JSONOutputArray()
            storage = .array(array)
        }
        return UnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: JSONOutputObject
        let codingPath: [any CodingKey]

        private func put(_ value: JSONOutput, _ key: Key) { object.members.append((key.stringValue, value)) }

        mutating func encodeNil(forKey key: Key) { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) { put(.literal(value ? "true" : "false"), key) }
        mutating func encode(_ value: String, forKey key: Key) { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath + [key]), key)
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath + [key]), key)
        }
        mutating func encode(_ value: Int, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) { put(.literal(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath + [key]), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = JSONOutputObject()
            put(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = JSONOutputArray()
            put(.array(nested), key)
            return UnkeyedContainer(array: nested, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: JSONKey.super) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

        private func superEncoder(named key: any CodingKey) -> any Encoder {
            let encoder = PayloadJSONEncoder(codingPath: codingPath + [key])
            object.members.append((key.stringValue, .deferred(encoder)))
            return encoder
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let array: JSONOutputArray
        let codingPath: [any CodingKey]
        var count: Int { array.elements.count }

        private var nextPath: [any CodingKey] { codingPath + [JSONKey(index: count)] }
        private func put(_ value: JSONOutput) { array.elements.append(value) }

        mutating func encodeNil() { put(.null) }
        mutating func encode(_ value: Bool) { put(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) { put(.string(value)) }
        mutating func encode(_ value: Double) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: nextPath))
        }
        mutating func encode(_ value: Float) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: nextPath))
        }
        mutating func encode(_ value: Int) { put(.literal(String(value))) }
        mutating func encode(_ value: Int8) { put(.literal(String(value))) }
        mutating func encode(_ value: Int16) { put(.literal(String(value))) }
        mutating func encode(_ value: Int32) { put(.literal(String(value))) }
        mutating func encode(_ value: Int64) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt8) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt16) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt32) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt64) { put(.literal(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: nextPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let nested = JSONOutputObject()
            let path = nextPath
            put(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: path))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = JSONOutputArray()
            let path = nextPath
            put(.array(nested))
            return UnkeyedContainer(array: nested, codingPath: path)
        }

        mutating func superEncoder() -> any Encoder {
            let encoder = PayloadJSONEncoder(codingPath: nextPath)
            put(.deferred(encoder))
            return encoder
        }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: PayloadJSONEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func put(_ value: JSONOutput) { encoder.storage = value }

        mutating func encodeNil() { put(.null) }
        mutating func encode(_ value: Bool) { put(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) { put(.string(value)) }
        mutating func encode(_ value: Double) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath))
        }
        mutating func encode(_ value: Float) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath))
        }
        mutating func encode(_ value: Int) { put(.literal(String(value))) }
        mutating func encode(_ value: Int8) { put(.literal(String(value))) }
        mutating func encode(_ value: Int16) { put(.literal(String(value))) }
        mutating func encode(_ value: Int32) { put(.literal(String(value))) }
        mutating func encode(_ value: Int64) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt8) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt16) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt32) { put(.literal(String(value))) }
        mutating func encode(_ value: UInt64) { put(.literal(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            put(try PayloadJSONEncoder.output(of: value, codingPath: codingPath))
        }
    }
}

/// The coding keys the JSON coders make up themselves: an array position, and `super`.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    static let `super` = JSONKey(stringValue: "super")
}
