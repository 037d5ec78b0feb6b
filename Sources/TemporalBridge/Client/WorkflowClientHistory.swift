extension WorkflowClient {
    /// Every event of the run, following `next_page_token` to the last page.
    public func history(_ handle: WorkflowHandle) async throws -> [Temporal_Api_History_V1_HistoryEvent] {
        var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
        request.execution = handle.execution
        var events: [Temporal_Api_History_V1_HistoryEvent] = []
        repeat {
            let page = try await mappingClientErrors { try await service.getWorkflowExecutionHistory(request) }
            events.append(contentsOf: page.history.events)
            request.nextPageToken = page.nextPageToken
        } while !request.nextPageToken.isEmpty
        return events
    }

    /// Long-polls until the run closes and returns its close event. Each poll lasts up to
    /// `pollTimeout`; when it ends without the event the poll is re-issued with the
    /// server's page token, so this waits as long as the run takes (cancel the task to stop).
    public func awaitCloseEvent(
        _ handle: WorkflowHandle, pollTimeout: Duration = WorkflowServiceClient.longPollTimeout
    ) async throws -> Temporal_Api_History_V1_HistoryEvent {
        var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
        request.execution = handle.execution
        request.waitNewEvent = true
        request.historyEventFilterType = .closeEvent
        while true {
            let page = try await mappingClientErrors {
                try await service.getWorkflowExecutionHistory(request, timeout: pollTimeout)
            }
            if let close = page.history.events.last { return close }
            request.nextPageToken = page.nextPageToken
        }
    }

    /// Waits for the workflow to finish and decodes its result (first payload) as `T`,
    /// following continue-as-new and retries to the final run.
    ///
    /// Throws `WorkflowFailedError`, `.workflowCanceled`, `.workflowTerminated(reason:)`
    /// or `.workflowTimedOut` for the other outcomes.
    public func result<T: Decodable>(_ handle: WorkflowHandle, as type: T.Type = T.self) async throws -> T {
        var current = handle
        while true {
            let close = try await awaitCloseEvent(current)
            switch close.attributes {
            case .workflowExecutionCompletedEventAttributes(let completed):
                if !completed.newExecutionRunID.isEmpty {  // cron: the next run carries on
                    current = WorkflowHandle(workflowId: current.workflowId, runId: completed.newExecutionRunID)
                    continue
                }
                return try converter.fromPayloads(completed.result, at: 0, as: T.self)
            case .workflowExecutionContinuedAsNewEventAttributes(let continued):
                current = WorkflowHandle(workflowId: current.workflowId, runId: continued.newExecutionRunID)
            case .workflowExecutionFailedEventAttributes(let failed):
                if !failed.newExecutionRunID.isEmpty {  // workflow retry policy: next attempt
                    current = WorkflowHandle(workflowId: current.workflowId, runId: failed.newExecutionRunID)
                    continue
                }
                throw WorkflowFailedError(failure: failed.failure)
            case .workflowExecutionTimedOutEventAttributes(let timedOut):
                if !timedOut.newExecutionRunID.isEmpty {
                    current = WorkflowHandle(workflowId: current.workflowId, runId: timedOut.newExecutionRunID)
                    continue
                }
                throw WorkflowClientError.workflowTimedOut
            case .workflowExecutionCanceledEventAttributes:
                throw WorkflowClientError.workflowCanceled
            case .workflowExecutionTerminatedEventAttributes(let terminated):
                throw WorkflowClientError.workflowTerminated(reason: terminated.reason)
            default:
                throw WorkflowClientError.rpc(
                    TemporalRPCError(
                        code: .internal, message: "unexpected close event type \(close.eventType)",
                        method: "GetWorkflowExecutionHistory"))
            }
        }
    }
}
