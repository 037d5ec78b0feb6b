import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderCore
import OrderStore
import Testing

@testable import OrderAPI

@Suite struct OrderQueryTests {
    static let created = Date(timeIntervalSince1970: 1_700_000_000)

    static func record(_ id: String, status: OrderStatus = .completed, offset: TimeInterval = 0) -> OrderDetail {
        OrderDetail(
            order: Order(
                id: id, customerId: "cust-1", status: status, total: Money(cents: 259_998),
                failureReason: status == .failed ? "InsufficientInventory" : nil,
                workflowId: id, runId: "run-1", createdAt: created.addingTimeInterval(offset),
                updatedAt: created.addingTimeInterval(offset + 5)
            ),
            items: [
                OrderItem(
                    productId: "PROD-001", productName: "Laptop Dell XPS 13", quantity: 2,
                    unitPrice: Money(cents: 129_999))
            ],
            payment: PaymentRecord(
                amount: Money(cents: 259_998), status: "captured", transactionId: "txn-1", createdAt: created,
                refundedAt: nil),
            reservations: [
                InventoryReservation(productId: "PROD-001", quantity: 2, reservedAt: created, releasedAt: nil)
            ],
            notifications: [
                NotificationRecord(
                    id: 1, kind: "order_completed", channel: "email", message: "Your order is complete",
                    createdAt: created)
            ]
        )
    }

    @Test func statusWhileRunningComesFromTheWorkflow() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(Self.record("o-live", status: .created))
        await harness.gateway.setSnapshot(
            "o-live",
            OrderStatusReport(
                orderId: "o-live", status: .inventoryReserved, step: "ProcessPayment", attempt: 2, failureReason: nil)
        )
        try await harness.run { client in
            let response = try await client.get("/api/orders/o-live/status")
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["order_id"] as? String == "o-live")
            #expect(json["status"] as? String == "inventory_reserved")
            #expect(json["step"] as? String == "ProcessPayment")
            #expect(json["source"] as? String == "workflow")
            #expect(json["updated_at"] as? String == "2023-11-14T22:13:25Z")
            #expect(json.keys.contains("failure_reason"))
        }
    }

    @Test func statusAfterTheWorkflowComesFromTheDatabase() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(Self.record("o-done", status: .failed))
        try await harness.run { client in
            let response = try await client.get("/api/orders/o-done/status")
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["status"] as? String == "failed")
            #expect(json["failure_reason"] as? String == "InsufficientInventory")
            #expect(json["source"] as? String == "database")
            #expect(json["step"] is NSNull)
        }
    }

    @Test func statusFallsBackToTheDatabaseWhenTemporalIsDown() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(Self.record("o-fallback", status: .created))
        await harness.gateway.setUnavailable(true)
        try await harness.run { client in
            let response = try await client.get("/api/orders/o-fallback/status")
            #expect(response.status == .ok)
            #expect(response.json["source"] as? String == "database")
        }
    }

    @Test func statusOfUnknownOrderIs404() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            try await client.get("/api/orders/nope/status").expectProblem(.notFound, type: "order-not-found")
            try await client.get("/api/orders/bad%20id/status").expectProblem(.notFound, type: "order-not-found")
        }
    }

    @Test func detailHasItemsPaymentNotificationsAndExactAmounts() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(Self.record("o-1"))
        try await harness.run { client in
            let response = try await client.get("/api/orders/o-1")
            #expect(response.status == .ok)
            let json = response.json
            #expect(json["order_id"] as? String == "o-1")
            #expect(json["status"] as? String == "completed")
            #expect(json["created_at"] as? String == "2023-11-14T22:13:20Z")
            #expect((json["items"] as? [[String: Any]])?.first?["product_id"] as? String == "PROD-001")
            #expect((json["payment"] as? [String: Any])?["transaction_id"] as? String == "txn-1")
            #expect((json["notifications"] as? [[String: Any]])?.first?["kind"] as? String == "order_completed")
            // Absent values are null, never missing keys (openapi.yaml lists them as required).
            #expect(response.text.contains(#""refunded_at":null"#))
            #expect(response.text.contains(#""released_at":null"#))
            // Amounts are JSON numbers with two decimals at most, written exactly.
            #expect(response.text.contains(#""total":2599.98"#))
            #expect(response.text.contains(#""unit_price":1299.99"#))
        }
    }

    @Test func databaseDownIs503NotA500() async throws {
        let harness = APITestHarness()
        await harness.repository.setDown(true)
        try await harness.run { client in
            let detail = try await client.get("/api/orders/o-1")
            detail.expectProblem(.serviceUnavailable, type: "service-unavailable")
            #expect(detail.headers[.retryAfter] != nil)
            try await client.get("/api/orders").expectProblem(.serviceUnavailable, type: "service-unavailable")
            try await client.get("/api/products").expectProblem(.serviceUnavailable, type: "service-unavailable")
        }
    }

    @Test func detailOfUnknownOrderIs404() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            try await client.get("/api/orders/missing").expectProblem(.notFound, type: "order-not-found")
        }
    }

    @Test func listIsNewestFirstAndPaginates() async throws {
        let harness = APITestHarness()
        for index in 0..<5 { await harness.repository.insert(Self.record("o-\(index)", offset: TimeInterval(index))) }
        try await harness.run { client in
            let first = try await client.get("/api/orders?limit=2")
            #expect(first.status == .ok)
            let ids = (first.json["orders"] as? [[String: Any]])?.compactMap { $0["order_id"] as? String }
            #expect(ids == ["o-4", "o-3"])
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await client.get("/api/orders?limit=2&cursor=\(cursor)")
            #expect(
                (second.json["orders"] as? [[String: Any]])?.compactMap { $0["order_id"] as? String } == ["o-2", "o-1"])
        }
    }

    @Test func listDefaultsToTwentyAndFiltersByStatus() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(Self.record("o-failed", status: .failed))
        await harness.repository.insert(Self.record("o-ok", status: .completed))
        try await harness.run { client in
            let response = try await client.get("/api/orders?status=failed")
            #expect(response.status == .ok)
            #expect(
                (response.json["orders"] as? [[String: Any]])?.compactMap { $0["order_id"] as? String } == ["o-failed"])
            #expect(response.json["next_cursor"] is NSNull)
        }
        let query = await harness.repository.lastListQuery
        #expect(query?.limit == 20)
        #expect(query?.status == .failed)
    }

    @Test(arguments: [
        ("status=shipped", "status"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"),
        ("limit=", "limit"), ("cursor=", "cursor"), ("cursor=garbage", "cursor"),
    ])
    func badListParameterIs400NamingIt(_ query: String, _ field: String) async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.get("/api/orders?\(query)")
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(response.problemFields == [field])
        }
    }

    @Test func productsHaveExactPriceAndStock() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.get("/api/products")
            #expect(response.status == .ok)
            let products = try #require(response.json["products"] as? [[String: Any]])
            #expect(products.count == 2)
            #expect(products.first?["id"] as? String == "PROD-001")
            #expect(products.first?["stock"] as? Int == 100)
            #expect(response.text.contains(#""price":1299.99"#))
            #expect(response.text.contains(#""price":89.99"#))
        }
    }
}
