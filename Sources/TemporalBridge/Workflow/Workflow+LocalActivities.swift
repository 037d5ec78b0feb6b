extension Workflow {
    /// Runs activity `type` as a local activity: this worker executes it inside the current
    /// workflow task (retrying with backoff there) and history records only its outcome, a
    /// `core_local_activity` marker, in sdk-core's format. Cheaper for the server than
    /// `executeActivity` (no activity task, three events fewer), at the price of visibility: no
    /// ActivityTaskScheduled event names it, only the marker (whose `summary` the Web UI shows).
    ///
    /// Replay takes the outcome from the marker and never runs the activity again. The activity
    /// must be registered on this worker. Throws `ActivityFailure` when it fails for good,
    /// `CancellationError` when cancelled.
    public static func executeLocalActivity<Input: Encodable, Result: Decodable>(
        _ type: String, input: Input, options: LocalActivityOptions, summary: String? = nil,
        returning: Result.Type = Result.self, file: StaticString = #fileID, line: UInt = #line
    ) async throws -> Result {
        let (context, payload, summaryPayload) = try prepareLocalActivity(input: input, summary: summary)
        let result = try await context.executeLocalActivity(
            type: type, input: [payload], options: options, summary: summaryPayload, site: WaitSite(file, line))
        return try WorkflowPayloads.decode(result, as: Result.self)
    }

    /// Runs a local activity and ignores its result.
    public static func executeLocalActivity<Input: Encodable>(
        _ type: String, input: Input, options: LocalActivityOptions, summary: String? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) async throws {
        let (context, payload, summaryPayload) = try prepareLocalActivity(input: input, summary: summary)
        _ = try await context.executeLocalActivity(
            type: type, input: [payload], options: options, summary: summaryPayload, site: WaitSite(file, line))
    }

    @inline(never)
    private static func prepareLocalActivity<Input: Encodable>(input: Input, summary: String?) throws
        -> (WorkflowContext, Temporal_Api_Common_V1_Payload, Temporal_Api_Common_V1_Payload?)
    {
        let context = try context()
        return (context, try WorkflowPayloads.encode(input), try summary.map { try WorkflowPayloads.encode($0) })
    }
}
