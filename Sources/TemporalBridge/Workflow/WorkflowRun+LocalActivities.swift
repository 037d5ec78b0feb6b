/// Local activities in the history state machine: a marker in history resolves the local activity
/// the replayed code waits for (its code does not run again), and the worker's outcomes of live
/// ones resume the code with their markers queued as commands.
extension WorkflowRun {
    /// For a `core_local_activity` marker event that a local activity of the replayed code waits
    /// for: checks it is that activity, resumes the code with the recorded outcome and runs it
    /// until it waits again; true when the event was consumed so. False sends the event through
    /// ordinary command matching (a marker this run recorded itself, or a mismatch to report).
    func resolveLocalActivityFromHistory(_ event: Temporal_Api_History_V1_HistoryEvent, context: WorkflowContext)
        throws -> Bool
    {
        guard LocalActivityMarker.isMarker(event) else { return false }
        guard let marker = LocalActivityMarker(event: event) else {
            throw NonDeterminismError(
                "history event \(event.eventID) is a \(LocalActivityMarker.markerName) marker whose `data` does not "
                    + "decode as sdk-core's LocalActivityMarkerData")
        }
        if let head = context.outbox.entries.first, LocalActivityMarker(command: head.command) != nil { return false }
        guard let activity = context.localActivityWaiting(for: marker) else { return false }
        if let head = context.outbox.entries.first {
            throw NonDeterminismError(
                "history event \(event.eventID) \(HistoryEventKind.describe(event)) records local activity "
                    + "\(marker.activityType) but the workflow produced command \(HistoryEventKind.describe(head.command)) "
                    + "before it")
        }
        if activity.activityType != marker.activityType || activity.activityId != marker.activityId {
            throw NonDeterminismError(
                "history event \(event.eventID) \(HistoryEventKind.describe(event)) does not match local activity "
                    + "\(activity.activityType) (seq \(activity.seq), id \(activity.activityId)) the workflow runs here: "
                    + (activity.activityType != marker.activityType ? "activity type differs" : "activity id differs"))
        }
        context.resolve(activity, with: marker)
        try runUntilStable(context)
        return true
    }

    /// ", while it waits on local activity X (seq n), whose marker history lacks" — for the
    /// message of a history event no command matches.
    static func waitingLocalActivities(_ context: WorkflowContext) -> String {
        let waiting = context.localActivities.values.filter { $0.state == .waitingForMarker }.sorted { $0.seq < $1.seq }
        guard !waiting.isEmpty else { return "" }
        let named = waiting.map { "\($0.activityType) (seq \($0.seq))" }.joined(separator: ", ")
        return
            "; it waits on local activity \(named), for which history has no \(LocalActivityMarker.markerName) marker here"
    }

    // MARK: the worker's side (on a replay thread, under the run's lock)

    /// The local activities the live task must run now.
    func takeLocalActivityRequests() -> [LocalActivityRequest] {
        context?.takeLocalActivityRequests() ?? []
    }

    /// Executing local activities the workflow no longer waits for.
    func takeLocalActivityCancels() -> [Int] {
        context?.takeLocalActivityCancels() ?? []
    }

    /// True while the live task still has local activities to run before it can complete.
    var hasRunningLocalActivities: Bool {
        guard let context, context.completion == nil, !isEvicted else { return false }
        return context.hasRunningLocalActivities
    }

    /// Applies the worker's outcome of local activity `seq`, runs the code until it waits again
    /// and returns the commands not yet sent (the marker among them).
    func resolveLocalActivity(seq: Int, outcome: LocalActivityOutcome, runtime: Duration) throws
        -> [Temporal_Api_Command_V1_Command]
    {
        guard let context, !isEvicted else { throw CancellationError() }
        executor.beginDriving()
        defer { executor.endDriving() }
        context.setReplaying(false)
        context.resolveLocalActivity(seq: seq, outcome: outcome, runtime: runtime)
        try runUntilStable(context)
        return context.outbox.commands
    }
}
