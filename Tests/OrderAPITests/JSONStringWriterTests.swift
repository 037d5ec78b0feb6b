import Foundation
import NIOCore
import Testing

@testable import OrderAPI

/// The create response is written by hand (`JSONStringWriter`); it must say what `JSONEncoder` says.
@Suite struct JSONStringWriterTests {
    static let awkward = "quote \" backslash \\ slash / newline \n tab \t bell \u{07} café 🍕"

    @Test func createResponseHasTheEncodersBytes() throws {
        let response = CreateOrderResponse(
            orderId: "ord-1/a", workflowId: "ord-1/a", runId: "0194e1c2-7a1b-7c3d-8e4f-123456789abc", status: "pending")
        let written = String(buffer: response.jsonBody)
        let encoded = String(decoding: try JSONResponse.encoder.encode(response), as: UTF8.self)
        #expect(written == encoded)
    }

    @Test func escapesWhatJSONRequires() throws {
        let response = CreateOrderResponse(
            orderId: Self.awkward, workflowId: "w", runId: "r\u{1F}", status: "s\r\u{8}\u{C}")
        let written = Data(response.jsonBody.readableBytesView)
        let decoded = try #require(try JSONSerialization.jsonObject(with: written) as? [String: String])
        #expect(
            decoded == ["order_id": Self.awkward, "workflow_id": "w", "run_id": "r\u{1F}", "status": "s\r\u{8}\u{C}"])
        #expect(String(decoding: written, as: UTF8.self).contains("\\u001f"))
    }
}
