/// What the server knows of a running activity that history does not show yet: the attempt in
/// progress and why the previous one failed. History records an activity's attempt only when the
/// activity ends, so the stack trace asks DescribeWorkflowExecution for its pending activities.
struct LiveActivityAttempt: Sendable, Equatable {
    var attempt: Int
    /// 0 = unlimited.
    var maximumAttempts: Int
    /// `Type: message` of the last failed attempt, if any.
    var lastFailure: String?
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
