import Foundation
import TemporalBridge
import Testing

@Suite("PayloadConverter")
struct PayloadConverterTests {
    let converter = PayloadConverter()

    private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // MARK: - Python SDK payloads decode to the expected Swift values

    @Test("payloads written by the Python SDK decode to the same values")
    func decodesPythonPayloads() throws {
        let python = try PayloadFixtureDocument.load("python_payloads.json")
        func payload(_ name: String) throws -> Temporal_Api_Common_V1_Payload {
            try python.requirePayload(named: name)
        }
        typealias V = PayloadFixtureValues
        #expect(try converter.fromPayload(payload("string"), as: String.self) == V.string)
        #expect(try converter.fromPayload(payload("int"), as: Int.self) == V.int)
        #expect(try converter.fromPayload(payload("negative_int"), as: Int.self) == V.negativeInt)
        #expect(try converter.fromPayload(payload("float"), as: Double.self) == V.float)
        #expect(try converter.fromPayload(payload("bool"), as: Bool.self) == V.bool)
        #expect(try converter.fromPayload(payload("null"), as: String?.self) == nil)
        #expect(try converter.fromPayload(payload("bytes"), as: Data.self) == V.bytes)
        #expect(try converter.fromPayload(payload("bytes"), as: [UInt8].self) == [0x00, 0x01, 0xFE, 0xFF])
        #expect(try converter.fromPayload(payload("order_input"), as: OrderInputFixture.self) == V.orderInput)
        #expect(try converter.fromPayload(payload("cancel_signal"), as: CancelSignalFixture.self) == V.cancelSignal)
        #expect(try converter.fromPayload(payload("unicode"), as: UnicodeFixture.self) == V.unicode)
        #expect(try converter.fromPayload(payload("nested"), as: AnyJSON.self) == V.nested)
        #expect(try converter.fromPayload(payload("string_list"), as: [String].self) == V.stringList)
        let metadata = try converter.fromPayload(
            payload("workflow_metadata"), message: Temporal_Api_Sdk_V1_WorkflowMetadata.self)
        #expect(metadata == V.workflowMetadata)
    }

    @Test("our bytes equal the Python SDK's for ASCII JSON, null and raw bytes")
    func encodesLikePython() throws {
        let python = try PayloadFixtureDocument.load("python_payloads.json")
        // Python escapes non-ASCII (ensure_ascii) and orders protobuf JSON keys alphabetically;
        // those two cases are compared by value in the other tests.
        let byValueOnly: Set = ["unicode", "workflow_metadata"]
        for (name, ours) in try PayloadFixtureValues.swiftPayloads(converter) where !byValueOnly.contains(name) {
            let theirs = try python.requirePayload(named: name)
            #expect(ours.metadata == theirs.metadata, "metadata of \(name)")
            #expect(text(ours.data) == text(theirs.data), "data of \(name)")
            #expect(ours.data == theirs.data, "bytes of \(name)")
        }
    }

    @Test("unicode text is written as raw UTF-8 and reads back unchanged")
    func unicodeRoundTrip() throws {
        let payload = try converter.toPayload(PayloadFixtureValues.unicode)
        #expect(payload.encodingName == "json/plain")
        #expect(text(payload.data).contains("Café ☕ 日本語 😀"))
        #expect(text(payload.data).contains("a/b"), "slashes are not escaped")
        #expect(try converter.fromPayload(payload, as: UnicodeFixture.self) == PayloadFixtureValues.unicode)
    }

    @Test("protobuf messages become json/protobuf with messageType")
    func protobufMessage() throws {
        let payload = try converter.toPayload(message: PayloadFixtureValues.workflowMetadata)
        #expect(payload.encodingName == "json/protobuf")
        #expect(payload.metadata["messageType"].map(text) == "temporal.api.sdk.v1.WorkflowMetadata")
        #expect(
            text(payload.data)
                == #"{"definition":{"type":"OrderWorkflow","queryDefinitions":[{"name":"getStatus","description":"current order status"}],"signalDefinitions":[{"name":"cancelOrder"}]}}"#
        )
        let decoded = try converter.fromPayload(payload, message: Temporal_Api_Sdk_V1_WorkflowMetadata.self)
        #expect(decoded == PayloadFixtureValues.workflowMetadata)
    }

    // MARK: - Golden file read by Tests/interop/payload_roundtrip.py

    /// Keeps swift_payloads.json equal to what the converter writes today, so the Python side checks
    /// current bytes. Regenerate with `UPDATE_PAYLOAD_FIXTURES=1 swift test --filter PayloadConverterTests`.
    @Test("swift_payloads.json matches the converter's current output")
    func swiftGoldenFile() throws {
        let current = PayloadFixtureDocument(
            generator: "TemporalBridge.PayloadConverter",
            cases: try PayloadFixtureValues.swiftPayloads(converter).map { .init(name: $0.0, payload: .init($0.1)) }
        )
        if ProcessInfo.processInfo.environment["UPDATE_PAYLOAD_FIXTURES"] == "1" {
            try current.write("swift_payloads.json")
        }
        let committed = try PayloadFixtureDocument.load("swift_payloads.json")
        #expect(committed == current)
    }

    // MARK: - Encoding rules

    @Test("nil of any optional type encodes to binary/null with empty data")
    func nilIsBinaryNull() throws {
        let none: Int? = nil
        let nested: String?? = .some(nil)
        for payload in [try converter.toPayload(none), try converter.toPayload(nested)] {
            #expect(payload.metadata == ["encoding": Data("binary/null".utf8)])
            #expect(payload.data.isEmpty)
            #expect(payload.isNull)
        }
    }

    @Test("Optional.some encodes like the wrapped value")
    func someEncodesWrapped() throws {
        let some: String? = "x"
        let payload = try converter.toPayload(some)
        #expect(payload.encodingName == "json/plain")
        #expect(text(payload.data) == #""x""#)
        let bytes: Data? = Data([1, 2])
        #expect(try converter.toPayload(bytes).encodingName == "binary/plain")
    }

    @Test("[UInt8] and Data encode to binary/plain")
    func rawBytes() throws {
        let payload = try converter.toPayload([UInt8]([9, 8, 7]))
        #expect(payload.encodingName == "binary/plain")
        #expect(payload.data == Data([9, 8, 7]))
        #expect(try converter.fromPayload(payload, as: Data?.self) == Data([9, 8, 7]))
    }

    @Test("dictionary keys are sorted so the bytes are deterministic")
    func sortedKeys() throws {
        let payload = try converter.toPayload(["b": 1, "a": 2, "c": 3])
        #expect(text(payload.data) == #"{"a":2,"b":1,"c":3}"#)
    }

    @Test("toPayloads keeps one payload per argument, in order")
    func multiplePayloads() throws {
        let none: String? = nil
        let payloads = try converter.toPayloads("a", 2, none, PayloadFixtureValues.cancelSignal)
        #expect(payloads.payloads.map(\.encodingName) == ["json/plain", "json/plain", "binary/null", "json/plain"])
        #expect(try converter.fromPayloads(payloads, at: 0, as: String.self) == "a")
        #expect(try converter.fromPayloads(payloads, at: 1, as: Int.self) == 2)
        #expect(try converter.fromPayloads(payloads, at: 2, as: String?.self) == nil)
        #expect(
            try converter.fromPayloads(payloads, at: 3, as: CancelSignalFixture.self)
                == PayloadFixtureValues.cancelSignal)
        #expect(try converter.fromPayloads(payloads, at: 4, as: CancelSignalFixture?.self) == nil)
    }

    @Test("dates are ISO 8601 strings; Python's microsecond form decodes")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let payload = try converter.toPayload(["at": date])
        #expect(text(payload.data) == #"{"at":"2023-11-14T22:13:20Z"}"#)
        var python = Temporal_Api_Common_V1_Payload()
        python.metadata["encoding"] = Data("json/plain".utf8)
        python.data = Data(#"{"at":"2023-11-14T22:13:20.250000+00:00"}"#.utf8)
        let decoded = try converter.fromPayload(python, as: [String: Date].self)
        #expect(decoded["at"].map { abs($0.timeIntervalSince1970 - 1_700_000_000.25) < 0.001 } == true)
    }

    // MARK: - Errors

    @Test("binary/null into a non-optional type is an error")
    func nullIntoNonOptional() throws {
        let payload = try converter.toPayload(Optional<Int>.none)
        #expect(throws: PayloadConversionError.unexpectedNull(type: "Int")) {
            try converter.fromPayload(payload, as: Int.self)
        }
    }

    @Test("a payload without encoding metadata is an error")
    func missingEncoding() {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.data = Data("1".utf8)
        #expect(throws: PayloadConversionError.missingEncoding) {
            try converter.fromPayload(payload, as: Int.self)
        }
    }

    @Test("unknown or protobuf encodings cannot decode into Codable types")
    func unsupportedEncoding() throws {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata["encoding"] = Data("binary/encrypted".utf8)
        #expect(throws: PayloadConversionError.unsupportedEncoding(encoding: "binary/encrypted", type: "String")) {
            try converter.fromPayload(payload, as: String.self)
        }
        let proto = try converter.toPayload(message: PayloadFixtureValues.workflowMetadata)
        #expect(throws: PayloadConversionError.unsupportedEncoding(encoding: "json/protobuf", type: "String")) {
            try converter.fromPayload(proto, as: String.self)
        }
        let bytes = try converter.toPayload(Data([1]))
        #expect(throws: PayloadConversionError.unsupportedEncoding(encoding: "binary/plain", type: "String")) {
            try converter.fromPayload(bytes, as: String.self)
        }
    }

    @Test("malformed JSON or a type mismatch is a decodingFailed error")
    func decodingFailed() throws {
        let payload = try converter.toPayload("not a number")
        #expect {
            try converter.fromPayload(payload, as: Int.self)
        } throws: { error in
            guard case .decodingFailed(let encoding, let type, _) = error as? PayloadConversionError else {
                return false
            }
            return encoding == "json/plain" && type == "Int"
        }
    }

    @Test("a protobuf payload of another message type is rejected")
    func messageTypeMismatch() throws {
        let payload = try converter.toPayload(message: PayloadFixtureValues.workflowMetadata)
        #expect(
            throws: PayloadConversionError.messageTypeMismatch(
                expected: "temporal.api.sdk.v1.WorkflowDefinition", actual: "temporal.api.sdk.v1.WorkflowMetadata"
            )
        ) {
            try converter.fromPayload(payload, message: Temporal_Api_Sdk_V1_WorkflowDefinition.self)
        }
    }

    @Test("binary/protobuf payloads decode into the message")
    func binaryProtobuf() throws {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata["encoding"] = Data("binary/protobuf".utf8)
        payload.metadata["messageType"] = Data("temporal.api.sdk.v1.WorkflowMetadata".utf8)
        payload.data = try PayloadFixtureValues.workflowMetadata.serializedData()
        let decoded = try converter.fromPayload(payload, message: Temporal_Api_Sdk_V1_WorkflowMetadata.self)
        #expect(decoded == PayloadFixtureValues.workflowMetadata)
    }

    @Test("a missing argument is an error for non-optional types")
    func missingArgument() {
        #expect(throws: PayloadConversionError.missingPayload(index: 0, count: 0, type: "String")) {
            try converter.fromPayloads(Temporal_Api_Common_V1_Payloads(), at: 0, as: String.self)
        }
    }
}
