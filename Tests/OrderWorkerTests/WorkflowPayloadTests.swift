import Foundation
import OrderCore
import Testing

@testable import OrderWorker

@Suite struct WorkflowPayloadTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func decodesDesignsWorkflowInput() throws {
        let text = """
            {"order_id":"ord-1","customer_id":"c-1","items":[{"product_id":"PROD-001","product_name":"Laptop","quantity":2,"unit_price":1299.99}]}
            """
        let input = try JSONDecoder().decode(OrderWorkflowInput.self, from: Data(text.utf8))
        let order = input.order(workflowId: "wf")
        #expect(order.orderId == "ord-1")
        #expect(order.items.first?.unitPrice == Money(cents: 129_999))
        #expect(order.items.first?.quantity == 2)
    }

    @Test func orderIdFallsBackToTheWorkflowId() throws {
        let text = #"{"customer_id":"c-1","items":[{"product_id":"P","product_name":"p","quantity":1,"unit_price":1}]}"#
        let input = try JSONDecoder().decode(OrderWorkflowInput.self, from: Data(text.utf8))
        #expect(input.order(workflowId: "wf-7").orderId == "wf-7")
    }

    @Test func statusReportHasEveryKeyEvenWhenNull() throws {
        let report = OrderStatusReport(orderId: "o", status: .pending, step: nil, attempt: 1, failureReason: nil)
        let object = try json(report)
        #expect(Set(object.keys) == ["order_id", "status", "step", "attempt", "failure_reason"])
        #expect(object["status"] as? String == "pending")
        #expect(object["step"] is NSNull)
    }

    @Test func completedResultHasDesignsShape() throws {
        let result = OrderWorkflowResult.completed(orderId: "o", total: Money(cents: 259_998), transactionId: "txn-1")
        let data = try JSONEncoder().encode(result)
        let text = String(decoding: data, as: UTF8.self)
        let object = try json(result)
        #expect(Set(object.keys) == ["order_id", "status", "total", "transaction_id"])
        #expect(object["status"] as? String == "completed")
        #expect(text.contains("2599.98"))
        #expect(!text.contains("\"2599.98\""))
    }

    @Test func signalPayloadIsOptional() throws {
        let request = try JSONDecoder().decode(
            CancelOrderRequest.self, from: Data(#"{"reason":"changed my mind"}"#.utf8))
        #expect(request.reason == "changed my mind")
        #expect(try JSONDecoder().decode(CancelOrderRequest.self, from: Data("{}".utf8)).reason == nil)
    }

    @Test func notificationKindsSettleTheMatchingStatus() {
        #expect(NotificationKind.orderCompleted.orderStatus == .completed)
        #expect(NotificationKind.orderFailed.orderStatus == .failed)
        #expect(NotificationKind.orderCancelled.orderStatus == .cancelled)
        #expect(
            ActivityName.allCases.map(\.rawValue) == [
                "CreateOrder", "CheckInventory", "ScreenFraud", "ProcessPayment", "SendNotification",
                "ReleaseInventory", "RefundPayment",
            ])
    }
}
