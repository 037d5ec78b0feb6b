import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import OrderAPI

/// Every validation rule of docs/api.md as its own case: 400 problem naming the field,
/// and the bad input never reaches Temporal or the database.
@Suite struct CreateOrderValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let body: String
        let field: String
        var testDescription: String { name }
    }

    static let long65 = String(repeating: "a", count: 65)

    static let cases: [Case] = [
        Case(name: "customer_id missing", body: #"{"items": [\#(Bodies.item())]}"#, field: "customer_id"),
        Case(name: "customer_id empty", body: Bodies.order(customer: ""), field: "customer_id"),
        Case(name: "customer_id 65 chars", body: Bodies.order(customer: long65), field: "customer_id"),
        Case(name: "customer_id bad characters", body: Bodies.order(customer: "bob smith"), field: "customer_id"),
        Case(
            name: "customer_id not a string", body: #"{"customer_id": 42, "items": [\#(Bodies.item())]}"#,
            field: "customer_id"),
        Case(name: "items missing", body: #"{"customer_id": "c1"}"#, field: "items"),
        Case(name: "items empty", body: Bodies.order(items: ""), field: "items"),
        Case(
            name: "items over 100",
            body: Bodies.order(items: Array(repeating: Bodies.item(), count: 101).joined(separator: ",")),
            field: "items"),
        Case(name: "items not an array", body: #"{"customer_id": "c1", "items": {}}"#, field: "items"),
        Case(
            name: "product_id empty", body: Bodies.order(items: Bodies.item(product: "")), field: "items[0].product_id"),
        Case(
            name: "product_id 65 chars", body: Bodies.order(items: Bodies.item(product: long65)),
            field: "items[0].product_id"),
        Case(name: "quantity zero", body: Bodies.order(items: Bodies.item(quantity: "0")), field: "items[0].quantity"),
        Case(
            name: "quantity over 1000", body: Bodies.order(items: Bodies.item(quantity: "1001")),
            field: "items[0].quantity"),
        Case(
            name: "quantity fractional", body: Bodies.order(items: Bodies.item(quantity: "1.5")),
            field: "items[0].quantity"),
        Case(
            name: "quantity a string", body: Bodies.order(items: Bodies.item(quantity: #""3""#)),
            field: "items[0].quantity"),
        Case(
            name: "unit_price negative", body: Bodies.order(items: Bodies.item(price: "-1")),
            field: "items[0].unit_price"),
        Case(
            name: "unit_price over 1,000,000", body: Bodies.order(items: Bodies.item(price: "1000000.01")),
            field: "items[0].unit_price"),
        Case(
            name: "unit_price three decimals", body: Bodies.order(items: Bodies.item(price: "1.005")),
            field: "items[0].unit_price"),
        Case(
            name: "unit_price a string", body: Bodies.order(items: Bodies.item(price: #""5""#)),
            field: "items[0].unit_price"),
        Case(
            name: "second item's quantity", body: Bodies.order(items: Bodies.item() + "," + Bodies.item(quantity: "0")),
            field: "items[1].quantity"),
        Case(name: "order_id bad characters", body: Bodies.order(orderId: "ord/1"), field: "order_id"),
        Case(name: "order_id 65 chars", body: Bodies.order(orderId: long65), field: "order_id"),
        Case(name: "order_id empty", body: Bodies.order(orderId: ""), field: "order_id"),
        Case(name: "body not an object", body: "[1, 2]", field: "body"),
    ]

    @Test(arguments: cases)
    func invalidFieldIsNamed(_ testCase: Case) async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders", testCase.body)
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(response.problemFields.contains(testCase.field), "fields: \(response.problemFields)")
        }
        #expect(await harness.gateway.startCalls == 0)
        #expect(await harness.repository.acceptedCalls.isEmpty)
    }

    @Test func everyBadFieldIsNamedAtOnce() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let body = #"{"customer_id": "", "items": [\#(Bodies.item(quantity: "0", price: "-1"))]}"#
            let response = try await client.postJSON("/api/orders", body)
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(
                Set(response.problemFields).isSuperset(of: ["customer_id", "items[0].quantity", "items[0].unit_price"]))
        }
    }

    @Test func malformedJSONIs400() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders", #"{"customer_id": "c1", "items": ["#)
            response.expectProblem(.badRequest, type: "malformed-json")
            #expect(response.problemFields == ["body"])
        }
        #expect(await harness.gateway.startCalls == 0)
    }

    @Test func emptyBodyIs400() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders", "")
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func bodyOver64KiBIs413() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let padding = String(repeating: "x", count: 64 * 1024)
            let response = try await client.postJSON(
                "/api/orders", #"{"customer_id": "c1", "pad": "\#(padding)", "items": []}"#)
            response.expectProblem(.contentTooLarge, type: "payload-too-large")
        }
        #expect(await harness.gateway.startCalls == 0)
    }

    @Test func bodyOfExactly64KiBIsRead() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let prefix = #"{"customer_id": "c1", "items": [\#(Bodies.item())], "pad": ""#
            let padding = String(repeating: "x", count: 64 * 1024 - prefix.utf8.count - 2)
            let response = try await client.postJSON("/api/orders", prefix + padding + #""}"#)
            #expect(response.status == .created, "\(response.text)")
        }
    }

    @Test func declaredContentLengthOver64KiBIs413() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let body = String(repeating: " ", count: 70_000) + Bodies.order()
            let response = try await client.postJSON(
                "/api/orders", body, headers: [.contentLength: String(body.utf8.count)])
            response.expectProblem(.contentTooLarge, type: "payload-too-large")
        }
    }

    @Test func textPlainIs415() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders", Bodies.order(), headers: [.contentType: "text/plain"])
            response.expectProblem(.unsupportedMediaType, type: "unsupported-media-type")
        }
        #expect(await harness.gateway.startCalls == 0)
    }

    @Test func missingContentTypeIs415() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.execute(
                uri: "/api/orders", method: .post, body: ByteBuffer(string: Bodies.order()))
            response.expectProblem(.unsupportedMediaType, type: "unsupported-media-type")
        }
    }

    /// Found by the end-to-end suite: an empty or parameter-only Content-Type crashed the server.
    @Test(arguments: ["", ";", " ; charset=utf-8"])
    func emptyMediaTypeIs415(_ contentType: String) async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders", Bodies.order(), headers: [.contentType: contentType])
            response.expectProblem(.unsupportedMediaType, type: "unsupported-media-type")
        }
        #expect(await harness.gateway.startCalls == 0)
    }

    @Test func jsonWithCharsetIsAccepted() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders", Bodies.order(), headers: [.contentType: "application/json; charset=utf-8"])
            #expect(response.status == .created)
        }
    }

    @Test(arguments: [
        ("application/json", true), (" Application/JSON ", true), ("application/json;charset=utf-8", true),
        ("\tapplication/vnd.order+json ; q=1", true), ("application/jsonx", false), ("text/json", false),
        ("application/x-www-form-urlencoded", false), ("json", false),
    ])
    func mediaTypeIsJSON(_ contentType: String, _ isJSON: Bool) {
        #expect(OrderAPI.RequestBody.isJSON(contentType) == isJSON)
    }

    @Test(arguments: ["", "has space", String(repeating: "k", count: 256), "naïve"])
    func invalidIdempotencyKeyIs400(_ key: String) async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders", Bodies.order(), headers: [HTTPField.Name("Idempotency-Key")!: key])
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(response.problemFields == ["Idempotency-Key"])
        }
        #expect(await harness.gateway.startCalls == 0)
    }
}
