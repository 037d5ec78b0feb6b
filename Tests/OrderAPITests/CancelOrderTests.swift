import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OrderCore
import Testing

@testable import OrderAPI

@Suite struct CancelOrderTests {
    func runningHarness(_ id: String) async -> APITestHarness {
        let harness = APITestHarness()
        await harness.repository.insert(OrderQueryTests.record(id, status: .created))
        await harness.gateway.setSnapshot(
            id,
            OrderStatusReport(
                orderId: id, status: .created, step: "CheckInventory", attempt: 1, failureReason: nil))
        return harness
    }

    @Test func cancelSignalsTheWorkflowWithTheReason() async throws {
        let harness = await runningHarness("o-c1")
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders/o-c1/cancel", #"{"reason": "changed my mind"}"#)
            #expect(response.status == .accepted)
            #expect(response.json["order_id"] as? String == "o-c1")
            #expect(response.json["status"] as? String == "cancelling")
        }
        let cancels = await harness.gateway.cancels
        #expect(cancels.count == 1)
        #expect(cancels.first?.orderId == "o-c1")
        #expect(cancels.first?.reason == "changed my mind")
    }

    @Test func cancelWithoutBodyIsAccepted() async throws {
        let harness = await runningHarness("o-c2")
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/orders/o-c2/cancel", method: .post)
            #expect(response.status == .accepted)
        }
        #expect(await harness.gateway.cancels.first?.reason == nil)
    }

    @Test func cancelOfJustAcceptedOrderIsAccepted() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            let created = try await client.postJSON("/api/orders", Bodies.order(orderId: "o-fresh"))
            #expect(created.status == .created)
            let response = try await client.execute(uri: "/api/orders/o-fresh/cancel", method: .post)
            #expect(response.status == .accepted)
        }
    }

    @Test func cancelWhenNoWorkerAnswersQueriesStillSignals() async throws {
        let harness = await runningHarness("o-noworker")
        await harness.gateway.setQueriesTimeOut(true)
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/orders/o-noworker/cancel", method: .post)
            #expect(response.status == .accepted)
        }
        #expect(await harness.gateway.cancels.count == 1)
    }

    @Test func cancelOfUnknownOrderIs404() async throws {
        let harness = APITestHarness()
        try await harness.run { client in
            try await client.execute(uri: "/api/orders/ghost/cancel", method: .post).expectProblem(
                .notFound, type: "order-not-found")
        }
        #expect(await harness.gateway.cancels.isEmpty)
    }

    @Test(arguments: [OrderStatus.completed, .cancelled, .failed])
    func cancelOfFinishedOrderIs409(_ status: OrderStatus) async throws {
        let harness = APITestHarness()
        await harness.repository.insert(OrderQueryTests.record("o-done", status: status))
        try await harness.run { client in
            try await client.execute(uri: "/api/orders/o-done/cancel", method: .post).expectProblem(
                .conflict, type: "order-already-terminal")
        }
        #expect(await harness.gateway.cancels.isEmpty)
    }

    @Test func cancelWhenTheLiveStatusIsCompletedIs409() async throws {
        let harness = await runningHarness("o-c3")
        await harness.gateway.setSnapshot(
            "o-c3",
            OrderStatusReport(orderId: "o-c3", status: .completed, step: nil, attempt: 1, failureReason: nil))
        try await harness.run { client in
            try await client.execute(uri: "/api/orders/o-c3/cancel", method: .post).expectProblem(
                .conflict, type: "order-already-terminal")
        }
    }

    /// The read says `payment_processed`, but the workflow completes and closes before the signal arrives: the
    /// answer is 409 with the order's final status, read afresh, not the stale one.
    @Test func cancelThatArrivesAfterTheWorkflowClosedIs409WithTheFinalStatus() async throws {
        let harness = await runningHarness("o-late1")
        await harness.gateway.setQueriesTimeOut(true)
        await harness.repository.setStatus("o-late1", .paymentProcessed)
        let repository = harness.repository
        await harness.gateway.setDuringCancel(closes: true) { await repository.setStatus("o-late1", .completed) }
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders/o-late1/cancel", #"{"reason": "too late"}"#)
            response.expectProblem(.conflict, type: "order-already-terminal")
            #expect(response.json["order_status"] as? String == "completed")
            #expect((response.json["detail"] as? String)?.contains("completed") == true)
        }
        #expect(await harness.gateway.cancels.isEmpty)
    }

    /// The signal reaches the running workflow while its last step completes the order: the workflow ignores it
    /// (docs/workflow.md: after `completed` the signal changes nothing), so the answer is 409, never a 202 that does nothing.
    @Test func cancelThatLandsWhileTheOrderCompletesIs409() async throws {
        let harness = await runningHarness("o-late2")
        let repository = harness.repository
        await harness.gateway.setDuringCancel(closes: false) { await repository.setStatus("o-late2", .completed) }
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/orders/o-late2/cancel", method: .post)
            response.expectProblem(.conflict, type: "order-already-terminal")
            #expect(response.json["order_status"] as? String == "completed")
        }
    }

    @Test func cancelOfARunningOrderStays202AndReadsOnlyTheOrderRow() async throws {
        let harness = await runningHarness("o-rows")
        try await harness.run { client in
            #expect(try await client.execute(uri: "/api/orders/o-rows/cancel", method: .post).status == .accepted)
            let finished = try await client.execute(uri: "/api/orders/o-rows/status", method: .get)
            #expect(finished.status == .ok)
        }
        #expect(await harness.repository.detailReads == 0, "cancel and /status need the order row only")
        #expect(await harness.repository.summaryReads >= 2)
    }

    @Test func conflictNamesTheOrderStatus() async throws {
        let harness = APITestHarness()
        await harness.repository.insert(OrderQueryTests.record("o-done2", status: .failed))
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/orders/o-done2/cancel", method: .post)
            response.expectProblem(.conflict, type: "order-already-terminal")
            #expect(response.json["order_status"] as? String == "failed")
        }
    }

    @Test func cancelWhenTemporalIsDownIs503() async throws {
        let harness = await runningHarness("o-c4")
        await harness.gateway.setUnavailable(true)
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/orders/o-c4/cancel", method: .post)
            response.expectProblem(.serviceUnavailable, type: "service-unavailable")
            #expect(response.headers[.retryAfter] != nil)
        }
    }

    @Test(arguments: [
        (#"{"reason": 5}"#, "reason"), (#"[1]"#, "body"),
        (#"{"reason": "\#(String(repeating: "r", count: 501))"}"#, "reason"),
    ])
    func badCancelBodyIs400(_ body: String, _ field: String) async throws {
        let harness = await runningHarness("o-c5")
        try await harness.run { client in
            let response = try await client.postJSON("/api/orders/o-c5/cancel", body)
            response.expectProblem(.badRequest, type: "invalid-request")
            #expect(response.problemFields == [field])
        }
        #expect(await harness.gateway.cancels.isEmpty)
    }

    @Test func malformedCancelBodyIs400() async throws {
        let harness = await runningHarness("o-c6")
        try await harness.run { client in
            try await client.postJSON("/api/orders/o-c6/cancel", "{nope").expectProblem(
                .badRequest, type: "malformed-json")
            // Read by the same strict parser as an order: which of two reasons counts is never a guess.
            try await client.postJSON("/api/orders/o-c6/cancel", #"{"reason": "a", "reason": "b"}"#).expectProblem(
                .badRequest, type: "malformed-json")
        }
        #expect(await harness.gateway.cancels.isEmpty)
    }

    @Test func nonJSONCancelBodyIs415() async throws {
        let harness = await runningHarness("o-c7")
        try await harness.run { client in
            let response = try await client.postJSON(
                "/api/orders/o-c7/cancel", "reason=x", headers: [.contentType: "application/x-www-form-urlencoded"])
            response.expectProblem(.unsupportedMediaType, type: "unsupported-media-type")
        }
    }
}
