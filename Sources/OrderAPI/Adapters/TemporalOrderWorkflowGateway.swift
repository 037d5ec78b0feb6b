import Foundation
import OrderCore
import TemporalBridge

/// `OrderWorkflowGateway` over TemporalBridge's `WorkflowClient`, speaking `OrderWorkflowContract`:
/// workflow id = order id.
struct TemporalOrderWorkflowGateway: OrderWorkflowGateway {
    let client: WorkflowClient
    let taskQueue: String
    /// Bound for the live status query (a running workflow with no worker never answers).
    var queryTimeout: Duration = .seconds(2)
    /// Bound for start/signal, retries while Temporal is unreachable included.
    var callTimeout: Duration = .seconds(10)

    func start(input: OrderInput, requestId: String) async throws -> StartOutcome {
        // USE_EXISTING: a duplicate start of a running order returns its run (started = false).
        // REJECT_DUPLICATE: a closed order's id is never run again (alreadyStarted with its run id).
        let options = WorkflowStartOptions(
            idReusePolicy: .rejectDuplicate, idConflictPolicy: .useExisting, requestId: requestId)
        do {
            let handle = try await mapped {
                try await client.start(
                    workflowType: OrderWorkflowContract.workflowType, id: input.orderId, taskQueue: taskQueue,
                    args: [input],
                    options: options, timeout: callTimeout)
            }
            return StartOutcome(workflowId: handle.workflowId, runId: handle.runId, alreadyExisted: !handle.started)
        } catch WorkflowClientError.alreadyStarted(let runId) {
            return StartOutcome(workflowId: input.orderId, runId: runId, alreadyExisted: true)
        }
    }

    func status(orderId: String) async throws -> OrderStatusReport? {
        do {
            return try await mapped {
                try await client.query(
                    WorkflowHandle(workflowId: orderId, runId: ""), name: OrderWorkflowContract.statusQuery,
                    as: OrderStatusReport.self, rejectCondition: .notOpen, timeout: queryTimeout
                )
            }
        } catch WorkflowClientError.queryRejected, WorkflowClientError.notFound, OrderWorkflowGatewayError.notFound {
            return nil
        }
    }

    func cancel(orderId: String, reason: String?) async throws {
        let payload = CancelOrderRequest(reason: reason ?? "Cancelled via the API")
        try await mapped {
            try await client.signal(
                WorkflowHandle(workflowId: orderId, runId: ""), name: OrderWorkflowContract.cancelSignal,
                args: [payload],
                timeout: callTimeout)
        }
    }

    func workflowExists(orderId: String) async throws -> Bool {
        var request = Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionRequest()
        request.execution.workflowID = orderId
        do {
            _ = try await client.service.describeWorkflowExecution(request, timeout: queryTimeout, retry: .none)
            return true
        } catch let error as TemporalRPCError where error.code == .notFound {
            return false
        } catch {
            throw OrderWorkflowGatewayError.unavailable(String(describing: error))
        }
    }

    func isReachable() async -> Bool {
        do {
            _ = try await client.service.getSystemInfo(timeout: .seconds(2), retry: .none)
            return true
        } catch {
            return false
        }
    }

    /// Runs a Temporal call (bounded by the gRPC deadline its timeout sets), translating failures into the
    /// gateway's errors: not found stays not found; everything else means Temporal is unusable now.
    private func mapped<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch WorkflowClientError.notFound {
            throw OrderWorkflowGatewayError.notFound
        } catch let error as WorkflowClientError {
            if case .alreadyStarted = error { throw error }
            if case .queryRejected = error { throw error }
            throw OrderWorkflowGatewayError.unavailable(String(describing: error))
        } catch {
            throw OrderWorkflowGatewayError.unavailable(String(describing: error))
        }
    }
}
