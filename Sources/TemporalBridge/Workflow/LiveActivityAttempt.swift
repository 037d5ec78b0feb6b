/// What the server knows of a running activity that history does not show yet: the attempt in
/// progress and why the previous one failed. History records an activity's attempt only when the
/// activity ends, so for the stack trace and the metadata query the worker asks
/// DescribeWorkflowExecution for the run's pending activities.
public struct LiveActivityAttempt: Sendable, Equatable {
    public var attempt: Int
    /// 0 = unlimited.
    public var maximumAttempts: Int
    /// `Type: message` of the last failed attempt, if any.
    public var lastFailure: String?

    public init(attempt: Int, maximumAttempts: Int, lastFailure: String? = nil) {
        self.attempt = attempt
        self.maximumAttempts = maximumAttempts
        self.lastFailure = lastFailure
    }
}

extension LiveActivityAttempt {
    /// The pending activities of a DescribeWorkflowExecution answer, by activity id.
    static func byActivityId(_ description: Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionResponse)
        -> [String: LiveActivityAttempt]
    {
        var attempts: [String: LiveActivityAttempt] = [:]
        for pending in description.pendingActivities {
            var lastFailure: String?
            if pending.hasLastFailure {
                let failure = pending.lastFailure
                let type = failure.applicationFailureInfo.type
                lastFailure = type.isEmpty ? failure.message : "\(type): \(failure.message)"
            }
            attempts[pending.activityID] = LiveActivityAttempt(
                attempt: Int(max(1, pending.attempt)), maximumAttempts: Int(pending.maximumAttempts),
                lastFailure: lastFailure)
        }
        return attempts
    }
}
