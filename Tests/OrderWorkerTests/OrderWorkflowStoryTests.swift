import Foundation
import OrderCore
import TemporalBridge
import Testing

@testable import OrderWorker

extension OrderWorkflowIntegration {
    /// What the Temporal Web UI shows of an order: the stack trace points at the line of
    /// `OrderProcess` that waits, the current details tell the order's state, every scheduled
    /// activity carries a summary, the handlers their descriptions.
    @Suite("what the Web UI shows") struct WebUIStory {
        /// The text of line `line` of Sources/OrderWorker/Workflow/OrderProcess.swift.
        private func orderProcessLine(_ line: Int) throws -> String {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/OrderWorker/Workflow/OrderProcess.swift")
            let text = try String(contentsOf: path, encoding: .utf8)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
        }

        private func metadata(_ harness: WorkerHarness, _ handle: WorkflowHandle) async throws
            -> Temporal_Api_Sdk_V1_WorkflowMetadata
        {
            var request = Temporal_Api_Workflowservice_V1_QueryWorkflowRequest()
            request.execution.workflowID = handle.workflowId
            request.execution.runID = handle.runId
            request.query.queryType = "__temporal_workflow_metadata"
            let response = try await WorkflowServiceClient(connection: harness.connection).queryWorkflow(request)
            let payload = try #require(response.queryResult.payloads.first)
            return try PayloadConverter().fromPayload(payload, message: Temporal_Api_Sdk_V1_WorkflowMetadata.self)
        }

        @Test func stackTraceDetailsAndSummariesTellTheOrdersStory() async throws {
            try await WorkerHarness.with { harness in
                let product = try await WorkerTestDatabase.makeProduct(harness.pool, price: "1250.00", stock: 10)
                let handle = try await harness.start(items: [(product, 2)])
                let orderId = handle.workflowId
                try await harness.holdingProductLock(product) {
                    _ = try await harness.waitForStatus(handle) { $0.step == "CheckInventory" }

                    let stack = try await harness.client.query(handle, name: "__stack_trace", as: String.self)
                    let lines = stack.split(separator: "\n")
                    #expect(lines.count == 1, "\(stack)")
                    let prefix = "coroutine 1 awaiting activity: OrderWorker/OrderProcess.swift:"
                    #expect(stack.hasPrefix(prefix), "\(stack)")
                    #expect(stack.hasSuffix(" CheckInventory (attempt 1 of 5, activityId 2)"), "\(stack)")
                    let line = try #require(Int(stack.dropFirst(prefix.count).prefix { $0.isNumber }))
                    #expect(try orderProcessLine(line).contains("steps.checkInventory("))

                    let metadata = try await metadata(harness, handle)
                    let details = metadata.currentDetails
                    #expect(details.contains("**Order** \(orderId): **created**"), "\(details)")
                    #expect(details.contains("- **Items:** 2 × \(product)"), "\(details)")
                    #expect(details.contains("- **Total:** 2,500.00"), "\(details)")
                    #expect(details.contains("- **Current step:** CheckInventory, attempt 1 of 5"), "\(details)")
                    #expect(details.contains("- **Last failure:** none"), "\(details)")
                    let signals = metadata.definition.signalDefinitions
                    #expect(signals.map(\.name) == [OrderWorkflowContract.cancelSignal])
                    #expect(signals.first?.description_p.hasPrefix("Cancel the order") == true)
                    let queries = metadata.definition.queryDefinitions
                    #expect(queries.map(\.name) == [OrderWorkflowContract.statusQuery])
                    #expect(queries.first?.description_p.isEmpty == false)
                }
                let result = try await harness.result(handle)
                #expect(result.status == .completed)

                let summaries = try await harness.client.history(handle).compactMap { event -> String? in
                    guard event.eventType == .activityTaskScheduled else { return nil }
                    return try PayloadConverter().fromPayload(event.userMetadata.summary, as: String.self)
                }
                #expect(
                    summaries == [
                        "create order \(orderId) for cust-worker-test: 2 × \(product)",
                        "reserve stock for \(orderId): 2 × \(product)",
                        "screen 2,500.00 from cust-worker-test for \(orderId)",
                        "charge 2,500.00 for \(orderId)",
                        "notify cust-worker-test: order completed (\(orderId))",
                    ])
                let done = try await metadata(harness, handle).currentDetails
                #expect(done.contains("**completed**") && done.contains("done (last: SendNotification)"), "\(done)")
            }
        }
    }
}
