import Foundation
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

/// The workflow input as hand-started workflows send it: items with only `product_id` and
/// `quantity` are an order (the catalog is authoritative), and anything that is not an order ends
/// the run at once as a non-retryable `InvalidOrder` naming the field.
extension OrderWorkflowIntegration {
    @Suite("workflow input") struct Input {
        /// `{"product_id", "quantity"}` only, as `temporal workflow start --input` would send it.
        struct BareItem: Encodable {
            let product_id: String
            let quantity: Int
        }

        struct BareOrder: Encodable {
            let customer_id: String
            let items: [BareItem]
        }

        struct ItemWithoutQuantity: Encodable {
            let product_id: String
        }

        struct OrderWithoutQuantity: Encodable {
            let customer_id: String
            let items: [ItemWithoutQuantity]
        }

        private func start(_ harness: WorkerHarness, _ input: any Encodable) async throws -> WorkflowHandle {
            let id = WorkerTestDatabase.uniqueId("wt-input")
            return try await harness.client.start(
                workflowType: OrderWorkflowContract.workflowType, id: id, taskQueue: harness.taskQueue, args: [input])
        }

        private func failure(_ harness: WorkerHarness, _ handle: WorkflowHandle) async throws -> WorkflowFailedError? {
            do {
                let result = try await harness.result(handle)
                Issue.record("expected the run to fail, it completed with \(result)")
                return nil
            } catch let failed as WorkflowFailedError {
                return failed
            }
        }

        @Test func itemsWithOnlyProductAndQuantityAreAnOrderPricedFromTheCatalog() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "12.25", stock: 5)
                let handle = try await start(
                    harness, BareOrder(customer_id: "cust-bare", items: [BareItem(product_id: product, quantity: 2)]))
                let result = try await harness.result(handle)
                #expect(result.status == .completed)
                #expect(result.total == Money(cents: 2_450))
                let name = try await harness.pool.query(
                    "SELECT product_name FROM order_items WHERE order_id = $1", [.string(handle.workflowId)]
                ).first?.string("product_name")
                #expect(name == "Worker test product \(product)")
            }
        }

        @Test func aBareStringFailsInvalidOrderAtOnce() async throws {
            try await WorkerHarness.with { harness in
                let handle = try await start(harness, "PROD-001 x2")
                let failed = try #require(try await failure(harness, handle))
                #expect(failed.applicationFailureType == "InvalidOrder")
                #expect(failed.failure.applicationFailureInfo.nonRetryable)
                #expect(failed.failure.message.contains("must be a JSON object"), "\(failed.failure.message)")
                #expect(failed.failure.message.contains("string"), "\(failed.failure.message)")
                // Nothing ran: no activity was scheduled, no workflow task failed.
                #expect(try await harness.scheduledActivities(handle).isEmpty)
                let types = try await harness.client.history(handle).map(\.eventType)
                #expect(!types.contains(.workflowTaskFailed))
            }
        }

        @Test func anItemWithoutQuantityFailsInvalidOrderNamingTheField() async throws {
            try await WorkerHarness.with { harness in
                let handle = try await start(
                    harness,
                    OrderWithoutQuantity(customer_id: "cust-q", items: [ItemWithoutQuantity(product_id: "P-1")]))
                let failed = try #require(try await failure(harness, handle))
                #expect(failed.applicationFailureType == "InvalidOrder")
                #expect(failed.failure.applicationFailureInfo.nonRetryable)
                #expect(failed.failure.message.contains("items[0].quantity"), "\(failed.failure.message)")
                #expect(try await harness.scheduledActivities(handle).isEmpty)
            }
        }
    }
}

@Suite struct OrderWorkflowInputDecodingTests {
    private func problem(_ json: String) -> String? {
        let received = try? JSONDecoder().decode(ReceivedOrderWorkflowInput.self, from: Data(json.utf8))
        guard case .failure(let invalid)? = received?.decoded else { return nil }
        return invalid.problem
    }

    @Test func namesTheFieldAtFault() {
        #expect(problem(#"{"customer_id":"c","items":[{"product_id":"P"}]}"#) == "items[0].quantity is missing")
        #expect(problem(#"{"items":[]}"#) == "customer_id is missing")
        #expect(
            problem(
                #"{"customer_id":"c","items":[{"product_id":"P","quantity":1},{"product_id":"Q","quantity":"2"}]}"#)?
                .hasPrefix("items[1].quantity must be an integer") == true)
        #expect(problem(#""just a string""#)?.contains("must be a JSON object") == true)
        #expect(problem(#"[1,2]"#)?.contains("must be a JSON object") == true)
    }

    @Test func optionalAndUntrustedFieldsDoNotMatter() {
        #expect(problem(#"{"customer_id":"c","items":[{"product_id":"P","quantity":1}]}"#) == nil)
        #expect(
            problem(
                #"{"customer_id":"c","items":[{"product_id":"P","quantity":1,"unit_price":"cheap","product_name":7}]}"#)
                == nil)
    }
}
