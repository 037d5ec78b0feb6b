import Foundation
import TemporalBridge

/// The payload fixture files under Fixtures/payloads (see Tests/interop/payload_roundtrip.py).
struct PayloadFixtureDocument: Codable, Equatable {
    struct Case: Codable, Equatable {
        var name: String
        var payload: FixturePayload
    }

    /// A Payload in proto3 JSON form: metadata values and data base64-encoded.
    struct FixturePayload: Codable, Equatable {
        var metadata: [String: String]
        var data: String?

        init(_ payload: Temporal_Api_Common_V1_Payload) {
            metadata = payload.metadata.mapValues { $0.base64EncodedString() }
            data = payload.data.isEmpty ? nil : payload.data.base64EncodedString()
        }

        var payload: Temporal_Api_Common_V1_Payload {
            var payload = Temporal_Api_Common_V1_Payload()
            payload.metadata = metadata.mapValues { Data(base64Encoded: $0) ?? Data() }
            payload.data = data.flatMap { Data(base64Encoded: $0) } ?? Data()
            return payload
        }
    }

    var generator: String
    var cases: [Case]

    func payload(named name: String) -> Temporal_Api_Common_V1_Payload? {
        cases.first { $0.name == name }?.payload.payload
    }

    struct MissingCase: Error, CustomStringConvertible {
        var name: String
        var description: String { "fixture case '\(name)' is missing" }
    }

    func requirePayload(named name: String) throws -> Temporal_Api_Common_V1_Payload {
        guard let payload = payload(named: name) else { throw MissingCase(name: name) }
        return payload
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/payloads")

    static func load(_ file: String) throws -> PayloadFixtureDocument {
        let data = try Data(contentsOf: folder.appendingPathComponent(file))
        return try JSONDecoder().decode(PayloadFixtureDocument.self, from: data)
    }

    func write(_ file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try data.write(to: Self.folder.appendingPathComponent(file))
    }
}

/// A JSON value of any shape, for fixtures with heterogeneous arrays (test-only).
enum AnyJSON: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AnyJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AnyJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

struct OrderInputFixture: Codable, Equatable {
    struct Item: Codable, Equatable {
        var productID: String
        var productName: String
        var quantity: Int
        var unitPrice: Double

        enum CodingKeys: String, CodingKey {
            case productID = "product_id", productName = "product_name", quantity, unitPrice = "unit_price"
        }
    }

    var orderID: String
    var customerID: String
    var items: [Item]

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", customerID = "customer_id", items
    }
}

struct CancelSignalFixture: Codable, Equatable {
    var reason: String
}

struct UnicodeFixture: Codable, Equatable {
    var name: String
    var note: String
}

/// The same values as CASES in Tests/interop/payload_roundtrip.py, as Swift values.
enum PayloadFixtureValues {
    static let string = "hello"
    static let int = 42
    static let negativeInt = -7
    static let float = 12.5
    static let bool = true
    static let null: String? = nil
    static let bytes = Data([0x00, 0x01, 0xFE, 0xFF])
    static let orderInput = OrderInputFixture(
        orderID: "ORD-1001",
        customerID: "CUST-42",
        items: [
            .init(productID: "PROD-001", productName: "Laptop Dell XPS 13", quantity: 1, unitPrice: 1299.99),
            .init(productID: "PROD-005", productName: "Gaming Mouse", quantity: 2, unitPrice: 89.99),
        ]
    )
    static let cancelSignal = CancelSignalFixture(reason: "customer changed their mind")
    static let unicode = UnicodeFixture(name: "Café ☕ 日本語 😀", note: "a/b \"quoted\" \\ back\nslash\ttab")
    static let nested = AnyJSON.object([
        "a": .object(["b": .object(["c": .array([.int(1), .int(2), .object(["d": .null])])])]),
        "empty": .object([:]),
        "list": .array([]),
    ])
    static let stringList = ["x", "y", "z"]
    static var workflowMetadata: Temporal_Api_Sdk_V1_WorkflowMetadata {
        var query = Temporal_Api_Sdk_V1_WorkflowInteractionDefinition()
        query.name = "getStatus"
        query.description_p = "current order status"
        var signal = Temporal_Api_Sdk_V1_WorkflowInteractionDefinition()
        signal.name = "cancelOrder"
        var metadata = Temporal_Api_Sdk_V1_WorkflowMetadata()
        metadata.definition.type = "OrderWorkflow"
        metadata.definition.queryDefinitions = [query]
        metadata.definition.signalDefinitions = [signal]
        return metadata
    }

    /// Every case encoded by our converter, in the fixture order.
    static func swiftPayloads(_ converter: PayloadConverter) throws -> [(String, Temporal_Api_Common_V1_Payload)] {
        [
            ("string", try converter.toPayload(string)),
            ("int", try converter.toPayload(int)),
            ("negative_int", try converter.toPayload(negativeInt)),
            ("float", try converter.toPayload(float)),
            ("bool", try converter.toPayload(bool)),
            ("null", try converter.toPayload(null)),
            ("bytes", try converter.toPayload(bytes)),
            ("order_input", try converter.toPayload(orderInput)),
            ("cancel_signal", try converter.toPayload(cancelSignal)),
            ("unicode", try converter.toPayload(unicode)),
            ("nested", try converter.toPayload(nested)),
            ("string_list", try converter.toPayload(stringList)),
            ("workflow_metadata", try converter.toPayload(message: workflowMetadata)),
        ]
    }
}
