import Foundation
import TemporalBridge
import Testing

/// The payload converter's own JSON coders against Foundation's `JSONEncoder` and `JSONDecoder` with the
/// settings `json/plain` payloads used before them: the same bytes out, the same values in.
@Suite("Payload JSON against Foundation")
struct PayloadJSONTests {
    let converter = PayloadConverter()

    private static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try converter.toPayload(value).data
        let foundation = try Self.foundationEncoder().encode(value)
        #expect(
            String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self),
            sourceLocation: sourceLocation)
    }

    struct Everything: Codable, Equatable {
        var text: String
        var flag: Bool
        var int: Int
        var int8: Int8
        var uint64: UInt64
        var double: Double
        var float: Float
        var decimal: Decimal
        var date: Date
        var data: Data
        var url: URL
        var optionalPresent: String?
        var optionalAbsent: Int?
        var list: [Int]
        var nested: [String: [String: Bool]]
        var items: [Item]
    }

    struct Item: Codable, Equatable {
        var productId: String
        var quantity: Int
        var unitPrice: Decimal

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case quantity
            case unitPrice = "unit_price"
        }
    }

    static let everything = Everything(
        text: "Café ☕ \"quoted\" back\\slash a/b tab\t nl\n cr\r bell\u{07} nul\u{00} us\u{1F} del\u{7F} 😀",
        flag: true, int: -9_223_372_036_854_775_807, int8: -128, uint64: .max, double: 0.1, float: 1.5,
        decimal: Decimal(string: "1299.99")!, date: Date(timeIntervalSince1970: 1_733_500_000),
        data: Data([0, 1, 0xFE, 0xFF]), url: URL(string: "https://example.com/a?b=c")!,
        optionalPresent: "here", optionalAbsent: nil, list: [3, 1, 2],
        nested: ["b": ["z": true, "a": false], "a": [:]],
        items: [
            Item(productId: "PROD-001", quantity: 2, unitPrice: Decimal(string: "1299.99")!),
            Item(productId: "PROD-005", quantity: 1, unitPrice: Decimal(string: "89.9")!),
        ])

    @Test("a struct of every kind of value encodes to Foundation's bytes")
    func encodesEverythingLikeFoundation() throws {
        try expectSameBytes(Self.everything)
    }

    @Test(
        "numbers are written as Foundation writes them",
        arguments: [
            0.0, -0.0, 1.0, -1.5, 0.1, 1e20, 1.5e-7, 123_456_789.125, Double.greatestFiniteMagnitude,
            Double.leastNonzeroMagnitude,
        ])
    func doubles(_ value: Double) throws {
        try expectSameBytes(value)
        try expectSameBytes([value])
        #expect(try converter.fromPayload(converter.toPayload(value), as: Double.self) == value)
    }

    @Test("every control character is escaped as Foundation escapes it")
    func controlCharacters() throws {
        for scalar in (0..<0x20).compactMap(Unicode.Scalar.init) {
            try expectSameBytes("<\(scalar)>")
        }
    }

    @Test("top-level values, empty containers and repeated keys")
    func edgeShapes() throws {
        try expectSameBytes("just a string")
        try expectSameBytes(42)
        try expectSameBytes(true)
        try expectSameBytes([String]())
        try expectSameBytes([String: Int]())
        try expectSameBytes([[Int]]([[], [1]]))
        try expectSameBytes(["b": 1, "a": 2, "c": 3])
        try expectSameBytes([1: "one", 10: "ten", 2: "two"])
        try expectSameBytes(["b": 1, "B": 2, "a": 3, "_": 4, "A_1": 5, "a10": 6, "a9": 7, "é": 8, "z": 9])
    }

    @Test("a value that encodes nothing is an empty object inside another and refused alone, as in Foundation")
    func encodesNothing() throws {
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        try expectSameBytes([Nothing()])
        try expectSameBytes(["key": Nothing()])
        #expect(throws: EncodingError.self) { try Self.foundationEncoder().encode(Nothing()) }
        #expect(throws: PayloadConversionError.self) { try converter.toPayload(Nothing()) }
    }

    @Test("non-finite numbers are refused")
    func nonFinite() {
        #expect(throws: PayloadConversionError.self) { try converter.toPayload(Double.nan) }
        #expect(throws: PayloadConversionError.self) { try converter.toPayload([Double.infinity]) }
    }

    @Test("what Foundation writes decodes to the same value")
    func decodesFoundationOutput() throws {
        let data = try Self.foundationEncoder().encode(Self.everything)
        let payload = try converter.toPayload(Self.everything)
        var foreign = payload
        foreign.data = data
        #expect(try converter.fromPayload(foreign, as: Everything.self) == Self.everything)
    }

    @Test("JSON as other SDKs write it: whitespace, escapes, surrogate pairs, fractional dates, 2.0 as an Int")
    func decodesForeignJSON() throws {
        struct Foreign: Decodable, Equatable {
            var text: String
            var count: Int
            var amount: Decimal
            var when: Date
            var missing: String?
            var null: String?
        }
        let json = """
             { "text" : "a\\/b \\u00e9\\ud83d\\ude00\\n\\"" , "count": 2.0, "amount": 10.50,
               "when": "2024-12-06T10:00:00.123456Z", "null": null }
            """
        var payload = try converter.toPayload("placeholder")
        payload.data = Data(json.utf8)
        let foreign = try converter.fromPayload(payload, as: Foreign.self)
        #expect(foreign.text == "a/b é😀\n\"")
        #expect(foreign.count == 2)
        #expect(foreign.amount == Decimal(string: "10.5"))
        #expect(abs(foreign.when.timeIntervalSince1970 - 1_733_479_200.123) < 0.001)
        #expect(foreign.missing == nil && foreign.null == nil)
    }

    @Test(
        "a Decimal reads as Decimal(string:) reads the number",
        arguments: [
            "1299.99", "0.10", "-5", "0", "-0", "0.00", "10.50", "1e2", "-1.2345E+2", "9999999999999999999",
            "12345678901234567890.5", "0.0000000000000000001", "18446744073709551615",
        ])
    func decimals(_ text: String) throws {
        var payload = try converter.toPayload(0)
        payload.data = Data(text.utf8)
        let decoded = try converter.fromPayload(payload, as: Decimal.self)
        let expected = try #require(Decimal(string: text))
        #expect(decoded == expected)
        #expect(decoded.description == expected.description)
    }

    @Test(
        "malformed JSON and wrong types are refused with the reason",
        arguments: [
            #"{"a":1"#, #"{"a":01}"#, #"[1,]"#, #""\x""#, "\"\u{01}\"", #"{"a":1} x"#, #"nul"#, #""\ud800""#,
        ])
    func refusesMalformed(_ json: String) throws {
        var payload = try converter.toPayload(0)
        payload.data = Data(json.utf8)
        #expect(throws: PayloadConversionError.self) { try converter.fromPayload(payload, as: AnyDecodable.self) }
    }

    @Test("a missing key, a null and a wrong type name the field")
    func decodingErrorsNameTheField() throws {
        func reason(_ json: String) throws -> String {
            var payload = try converter.toPayload(0)
            payload.data = Data(json.utf8)
            do {
                _ = try converter.fromPayload(payload, as: Item.self)
                return "decoded"
            } catch {
                return "\(error)"
            }
        }
        #expect(try reason(#"{"quantity":1,"unit_price":1}"#).contains("product_id"))
        #expect(try reason(#"{"product_id":null,"quantity":1,"unit_price":1}"#).contains("valueNotFound"))
        #expect(try reason(#"{"product_id":"p","quantity":"1","unit_price":1}"#).contains("quantity"))
        #expect(try reason(#"{"product_id":"p","quantity":1.5,"unit_price":1}"#).contains("does not fit in Int"))
    }
}

/// Reads any JSON value, to check the parser alone.
private struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            while !array.isAtEnd { _ = try array.decode(AnyDecodable.self) }
        } else if let object = try? decoder.container(keyedBy: JSONKeyForTests.self) {
            for key in object.allKeys { _ = try object.decode(AnyDecodable.self, forKey: key) }
        } else {
            let single = try decoder.singleValueContainer()
            if !single.decodeNil(), (try? single.decode(Bool.self)) == nil, (try? single.decode(Double.self)) == nil {
                _ = try single.decode(String.self)
            }
        }
    }
}

private struct JSONKeyForTests: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
