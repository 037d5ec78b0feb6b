import Foundation
import SwiftProtobuf
import TemporalBridge
import Testing

/// A History serialized by the Python SDK's full upstream messages (Tests/interop/upstream_history_fixture.py)
/// decodes with our pruned generated code, and the payloads inside decode with PayloadConverter.
@Suite("Generated protos decode upstream history bytes")
struct PayloadConverterUpstreamHistoryTests {
    let converter = PayloadConverter()

    private func history() throws -> Temporal_Api_History_V1_History {
        let url = PayloadFixtureDocument.folder.appendingPathComponent("upstream_history.binpb")
        return try Temporal_Api_History_V1_History(serializedBytes: try Data(contentsOf: url))
    }

    @Test("every event decodes with its type, ids and attributes")
    func eventsDecode() throws {
        let events = try history().events
        #expect(events.map(\.eventID) == Array(1...12))
        #expect(
            events.map(\.eventType) == [
                .workflowExecutionStarted, .workflowTaskScheduled, .workflowTaskStarted, .workflowTaskCompleted,
                .activityTaskScheduled, .activityTaskCompleted, .activityTaskFailed, .workflowExecutionUpdateAccepted,
                .timerStarted, .workflowExecutionSignaled, .workflowExecutionCancelRequested,
                .workflowExecutionCompleted,
            ])
        #expect(events[0].eventTime.seconds == 1_700_000_000)
        #expect(events[0].eventTime.nanos == 123_000_000)

        guard case .workflowExecutionStartedEventAttributes(let started) = events[0].attributes else {
            Issue.record("event 1 has no started attributes: \(String(describing: events[0].attributes))")
            return
        }
        #expect(started.workflowType.name == "OrderWorkflow")
        #expect(started.taskQueue.name == "order-processing")
        #expect(started.taskQueue.kind == .normal)
        #expect(started.workflowTaskTimeout.seconds == 10)
        #expect(started.workflowID == "ORD-1001")
        let input = try converter.fromPayloads(started.input, at: 0, as: OrderInputFixture.self)
        #expect(input.orderID == "ORD-1001")
        #expect(input.items.first?.unitPrice == 1299.99)

        guard case .activityTaskScheduledEventAttributes(let scheduled) = events[4].attributes else {
            Issue.record("event 5 has no activity scheduled attributes")
            return
        }
        #expect(scheduled.activityType.name == "CreateOrder")
        #expect(scheduled.retryPolicy.backoffCoefficient == 2.0)
        #expect(scheduled.retryPolicy.maximumAttempts == 5)
        #expect(scheduled.retryPolicy.nonRetryableErrorTypes == ["InvalidOrder"])

        guard case .activityTaskFailedEventAttributes(let failed) = events[6].attributes else {
            Issue.record("event 7 has no activity failed attributes")
            return
        }
        #expect(failed.failure.message == "not enough stock")
        #expect(failed.failure.cause.message == "root cause")
        #expect(failed.retryState == .nonRetryableFailure)
        guard case .applicationFailureInfo(let info) = failed.failure.failureInfo else {
            Issue.record("failure has no application failure info")
            return
        }
        #expect(info.type == "InsufficientInventory")
        #expect(info.nonRetryable)

        guard case .workflowExecutionSignaledEventAttributes(let signaled) = events[9].attributes else {
            Issue.record("event 10 has no signaled attributes")
            return
        }
        #expect(signaled.signalName == "cancelOrder")
        #expect(try converter.fromPayloads(signaled.input, at: 0, as: CancelSignalFixture.self).reason == "Café 😀")

        guard case .workflowExecutionCancelRequestedEventAttributes(let cancel) = events[10].attributes else {
            Issue.record("event 11 has no cancel-requested attributes")
            return
        }
        #expect(cancel.cause == "customer asked")

        guard case .workflowExecutionCompletedEventAttributes(let completed) = events[11].attributes else {
            Issue.record("event 12 has no completed attributes")
            return
        }
        #expect(try converter.fromPayloads(completed.result, at: 0, as: String?.self) == nil)
    }

    @Test("fields and events outside our subset are skipped and kept as unknown fields")
    func unknownFieldsKept() throws {
        let original = try Data(
            contentsOf: PayloadFixtureDocument.folder.appendingPathComponent("upstream_history.binpb"))
        let events = try history().events
        #expect(events[7].attributes == nil, "update-accepted is not in our subset")
        #expect(!events[7].unknownFields.data.isEmpty)
        #expect(!events[0].unknownFields.data.isEmpty, "links on the started event")
        guard case .workflowTaskCompletedEventAttributes(let completed) = events[3].attributes else {
            Issue.record("event 4 has no workflow task completed attributes")
            return
        }
        #expect(completed.sdkMetadata.langUsedFlags == [1, 2])
        #expect(!completed.unknownFields.data.isEmpty, "worker_deployment_name")
        // Re-encoding loses nothing (unknown fields are written back, possibly in another order).
        let reencoded: Data = try history().serializedBytes()
        #expect(reencoded.count == original.count)
        #expect(try Temporal_Api_History_V1_History(serializedBytes: reencoded) == history())
    }
}
