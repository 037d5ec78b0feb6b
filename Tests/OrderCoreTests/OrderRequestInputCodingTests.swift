import Foundation
import OrderCore
import Testing

/// The workflow input and other models keep the documented snake_case JSON shape.
@Suite("Order model JSON shapes")
struct OrderRequestInputCodingTests {
    @Test("OrderInput encodes as the workflow input JSON")
    func orderInputShape() throws {
        let input = OrderInput(
            orderId: "o-1", customerId: "c-1",
            items: [
                OrderItem(productId: "PROD-001", productName: "Laptop", quantity: 2, unitPrice: Money(cents: 129_999))
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(input), as: UTF8.self)
        #expect(
            json
                == #"{"customer_id":"c-1","items":[{"product_id":"PROD-001","product_name":"Laptop","quantity":2,"unit_price":1299.99}],"order_id":"o-1"}"#
        )
        #expect(try JSONDecoder().decode(OrderInput.self, from: Data(json.utf8)) == input)
    }

    @Test("OrderInput decodes what the temporal CLI or Python SDK would send")
    func orderInputFromOtherClients() throws {
        let json =
            #"{"order_id": "o-2", "customer_id": "c", "items": [{"product_id": "PROD-002", "product_name": "iPhone 15 Pro", "quantity": 1, "unit_price": 999.99}], "extra": 1}"#
        let input = try JSONDecoder().decode(OrderInput.self, from: Data(json.utf8))
        #expect(input.items[0].unitPrice == Money(cents: 99_999))
    }

    @Test("Order uses snake_case keys and keeps the total exact")
    func orderShape() throws {
        let order = Order(
            id: "o", customerId: "c", status: .paymentProcessed, total: Money(cents: 389_997), failureReason: nil,
            workflowId: "o", runId: "r", createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 1))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(order)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "id", "customer_id", "status", "total", "workflow_id", "run_id", "created_at", "updated_at",
            ])
        #expect(object["status"] as? String == "payment_processed")
        let back = try JSONDecoder().decode(Order.self, from: JSONEncoder().encode(order))
        #expect(back == order)
    }

    @Test("Product and business errors")
    func productAndBusinessError() throws {
        let product = Product(id: "PROD-005", name: "Gaming Mouse", price: Money(cents: 8_999), stock: 100)
        #expect(try JSONDecoder().decode(Product.self, from: JSONEncoder().encode(product)) == product)
        let error = OrderBusinessError(type: .paymentDeclined, message: "total 12000.00 above 10000.00")
        #expect(error.type.rawValue == "PaymentDeclined")
        #expect(
            OrderFailureType.allCases.map(\.rawValue) == [
                "InvalidProduct", "InsufficientInventory", "PaymentDeclined", "InvalidOrder", "FraudSuspected",
            ])
    }
}
