import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderCore
import OrderStore
import Testing

@testable import OrderAPI

@Suite struct CreateOrderTests {
    @Test func acceptsOrderStartsWorkflowAndRecordsPending() async throws {
        let harness = APITestHarness()
        let orderId = try await harness.run { client in
            let response = try await client.postJSON("/api/orders", Bodies.order(customer: "cust-7"))
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.contentType] == "application/json")
            let json = response.json
            let orderId = try #require(json["order_id"] as? String)
            #expect(orderId.hasPrefix("ord-"))
            #expect(json["workflow_id"] as? String == orderId)
            #expect((json["run_id"] as? String)?.isEmpty == false)
            #expect(json["status"] as? String == "pending")
            #expect(response.headers[.location] == "/api/orders/\(orderId)")
            return orderId
        }
        let workflow = try #require(await harness.gateway.workflows[orderId])
        #expect(workflow.input.customerId == "cust-7")
        #expect(
            workflow.input.items == [
                OrderItem(productId: "PROD-001", productName: "Laptop", quantity: 1, unitPrice: Money(cents: 129_999))
            ])
        let record = try #require(await harness.repository.records[orderId])
        #expect(record.order.status == .pending)
        #expect(record.order.customerId == "cust-7")
    }

    @Test func unknownProductIsAcceptedTheWorkflowDecides() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders", Bodies.order(items: Bodies.item(product: "NOPE-999")))
            #expect(response.status == .created)
        }
    }

    @Test func givenOrderIdIsUsedAndRepeatingItAnswers200() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let first = try await client.postJSON("/api/orders", Bodies.order(orderId: "my-order.1"))
            #expect(first.status == .created)
            #expect(first.json["order_id"] as? String == "my-order.1")
            let second = try await client.postJSON("/api/orders", Bodies.order(orderId: "my-order.1"))
            #expect(second.status == .ok)
            #expect(second.json["order_id"] as? String == "my-order.1")
            #expect(second.json["run_id"] as? String == first.json["run_id"] as? String)
            #expect(second.json["status"] as? String == "pending")
        }
        #expect(await harness.gateway.newStarts == 1)
    }

    @Test func repeatedOrderReportsItsCurrentStatus() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            _ = try await client.postJSON("/api/orders", Bodies.order(orderId: "o-status"))
            let now = Date()
            await harness.repository.insert(
                OrderDetail(
                    order: Order(
                        id: "o-status", customerId: "cust-1", status: .completed, createdAt: now, updatedAt: now),
                    items: [], payment: nil, reservations: [], notifications: []
                ))
            let again = try await client.postJSON("/api/orders", Bodies.order(orderId: "o-status"))
            #expect(again.status == .ok)
            #expect(again.json["status"] as? String == "completed")
        }
    }

    @Test func twentyConcurrentIdenticalRequestsStartOneWorkflow() async throws {
        let harness = APITestHarness()
        let answers = try await harness.run { client in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await client.postJSON(
                            "/api/orders", Bodies.order(customer: "cust-9"),
                            headers: [HTTPField.Name("Idempotency-Key")!: "key-123"]
                        )
                        return (Int(response.status.code), response.json["order_id"] as? String ?? "")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(await harness.gateway.newStarts == 1)
        #expect(answers.filter { $0.0 == 201 }.count == 1)
        #expect(answers.filter { $0.0 == 200 }.count == 19)
        let ids = Set(answers.map { $0.1 })
        #expect(ids.count == 1)
        #expect(ids.first == IdempotencyKey.orderId(key: "key-123", customerId: "cust-9"))
    }

    @Test func idempotencyKeyMapsDeterministicallyPerCustomer() {
        let a = IdempotencyKey.orderId(key: "k", customerId: "alice")
        #expect(a == IdempotencyKey.orderId(key: "k", customerId: "alice"))
        #expect(a != IdempotencyKey.orderId(key: "k", customerId: "bob"))
        #expect(a.count == 45)
        #expect(OrderIdPath.isPlausible(a))
        // A known answer: the same key must keep naming the same order across releases.
        #expect(
            IdempotencyKey.orderId(key: "key-123", customerId: "cust-9")
                == "idem-19f24ac449060cea011be1e9564dc7bcac49a07a")
    }

    @Test func temporalUnreachableIs503WithRetryAfter() async throws {
        let harness = APITestHarness()
        await harness.gateway.setUnavailable(true)
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders", Bodies.order())
            response.expectProblem(.serviceUnavailable, type: "service-unavailable")
            #expect(response.headers[.retryAfter] != nil)
        }
        // The pending row written alongside the refused start is gone again.
        #expect(await harness.repository.acceptedCalls.count == 1)
        #expect(await harness.repository.records.isEmpty)
    }

    @Test func databaseDownAfterStartStillAccepts() async throws {
        let harness = APITestHarness()
        await harness.repository.setDown(true)
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders", Bodies.order())
            #expect(response.status == .created)
        }
        #expect(await harness.gateway.newStarts == 1)
    }
}
