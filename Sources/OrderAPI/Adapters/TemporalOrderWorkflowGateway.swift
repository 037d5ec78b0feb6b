import Foundation
import OrderCore
import TemporalBridge

/// `OrderWorkflowGateway` over TemporalBridge's `WorkflowClient`: workflow `OrderWorkflow`,
/// workflow id = order id, query `getStatus`, signal `cancelOrder`.
struct TemporalOrderWorkflowGateway: OrderWorkflowGateway {
    static let workflowType = "OrderWorkflow"
    static let statusQuery = "getStatus"
    static let cancelSignal = "cancelOrder"

    let client: WorkflowClient
    let taskQueue: String
    /// Bound for the live status query (a running workflow with no worker never answers).
    var queryTimeout: Duration = .seconds(2)
    /// Bound for start/signal, which the client retries while Temporal is unreachable.
    var callTimeout: Duration = .seconds(10)

    func start(input: OrderInput, requestId: String) async throws -> StartOutcome {
        // USE_EXISTING: a duplicate start of a running order returns its run (started = false).
        // REJECT_DUPLICATE: a closed order's id is never run again (alreadyStarted with its run id).
        let options = WorkflowStartOptions(
            idReusePolicy: .rejectDuplicate, idConflictPolicy: .useExisting, requestId: requestId)
        let client = client
        let taskQueue = taskQueue
        do {
            let handle = try await mapped(callTimeout) {
                try await client.start(
                    workflowType: Self.workflowType, id: input.orderId, taskQueue: taskQueue, args: [input],
                    options: options)
            }
            return StartOutcome(workflowId: handle.workflowId, runId: handle.runId, alreadyExisted: !handle.started)
        } catch WorkflowClientError.alreadyStarted(let runId) {
            return StartOutcome(workflowId: input.orderId, runId: runId, alreadyExisted: true)
        }
    }

    func status(orderId: String) async throws -> WorkflowStatusSnapshot? {
        let client = client
        let timeout = queryTimeout
        do {
            return try await mapped(timeout + .milliseconds(500)) {
                try await client.query(
                    WorkflowHandle(workflowId: orderId, runId: ""), name: Self.statusQuery,
                    as: WorkflowStatusSnapshot.self, rejectCondition: .notOpen, timeout: timeout
                )
            }
        } catch WorkflowClientError.queryRejected, WorkflowClientError.notFound, OrderWorkflowGatewayError.notFound {
            return nil
        }
    }

    func cancel(orderId: String, reason: String?) async throws {
        let client = client
        let payload = CancelPayload(reason: reason ?? "Cancelled via the API")
        try await mapped(callTimeout) {
            try await client.signal(
                WorkflowHandle(workflowId: orderId, runId: ""), name: Self.cancelSignal, args: [payload])
        }
    }

    func isReachable() async -> Bool {
        let service = client.service
        do {
            _ = try await withDeadline(.seconds(2)) {
                try await service.getSystemInfo(timeout: .seconds(2), retry: .none)
            }
            return true
        } catch {
            return false
        }
    }

    /// Runs a Temporal call within `timeout`, translating failures into the gateway's
    /// errors: not found stays not found; everything else means Temporal is unusable now.
    private func mapped<T: Sendable>(_ timeout: Duration, _ call: @escaping @Sendable () async throws -> T) async throws
        -> T
    {
        do {
            return try await withDeadline(timeout, call)
        } catch WorkflowClientError.notFound {
            throw OrderWorkflowGatewayError.notFound
        } catch let error as WorkflowClientError {
            if case .alreadyStarted = error { throw error }
            if case .queryRejected = error { throw error }
            throw OrderWorkflowGatewayError.unavailable(String(describing: error))
        } catch is DeadlineExceeded {
            throw OrderWorkflowGatewayError.unavailable("no answer from Temporal within \(timeout)")
        } catch {
            throw OrderWorkflowGatewayError.unavailable(String(describing: error))
        }
    }
}

/// The `cancelOrder` signal's payload.
struct CancelPayload: Encodable, Sendable {
    let reason: String
}
