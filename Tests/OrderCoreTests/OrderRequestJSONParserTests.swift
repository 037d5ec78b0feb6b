import OrderCore
import Testing

@Suite("Strict JSON parser used for request validation")
struct OrderRequestJSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("parses every kind of value, keeping number text")
    func values() throws {
        let value = try parse(#" {"a": [1, -0.50, 1.2345e2, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}} "#)
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object.keys == ["a", "b"])
        #expect(
            object["a"]
                == .array([
                    .number("1"), .number("-0.50"), .number("1.2345e2"), .bool(true), .bool(false), .null,
                    .string("x\né😀"),
                ]))
        #expect(object["b"] == .object(JSONObject()))
        #expect(object["missing"] == nil)
    }

    @Test("raw UTF-8 in strings is kept")
    func utf8() throws {
        #expect(try parse(#""Größe ✓""#) == .string("Größe ✓"))
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[1 2]", "{\"a\" 1}", "01", "+1", ".5", "1.",
            "1e",
            "-", "tru", "nul", "NaN", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\u{01}b\"", "{} {}", "[] x", "// c\n{}", "\u{FEFF}{}",
        ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test("duplicate keys are refused")
    func duplicateKeys() {
        #expect(throws: JSONParseError.self) { try parse(#"{"a":1,"a":2}"#) }
    }

    @Test("nesting is limited")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(ok) }
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try parse(tooDeep) }
        // A hostile document far deeper than the stack could take fails cleanly, too.
        #expect(throws: JSONParseError.self) { try parse(String(repeating: "[", count: 1_000_000)) }
    }

    @Test("errors tell where")
    func errorOffset() {
        do {
            _ = try parse(#"{"a": x}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 6)
            #expect(error.description.contains("byte 6"))
        }
    }
}
