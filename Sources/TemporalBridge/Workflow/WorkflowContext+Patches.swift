/// What the run knows about patches: which markers history holds, what each `patched` call
/// decided, and which sdk-core internal flags history (or this worker) has used.
struct PatchState {
    /// Ids of the patch markers in the command events of every workflow task replayed so far
    /// (sdk-core's NotifyHasPatch jobs).
    var markersInHistory: Set<String> = []
    /// The first answer for each id; every later call for the id returns it.
    var decisions: [String: Bool] = [:]
    /// Ids that produced a marker, in the TemporalChangeVersion search attribute.
    var recordedIds: [String] = []
    /// sdk-core internal flags named by the WorkflowTaskCompleted events seen so far.
    var coreFlagsInHistory: Set<UInt32> = []
    /// Flags this worker used that history does not name yet: sent with the next completion.
    var coreFlagsToRecord: Set<UInt32> = []
}

extension WorkflowContext {
    /// sdk-core's rule: true when the task is not replaying, or when history holds the marker;
    /// replaying without the marker takes the old path. Decided once per id and run.
    /// `recordIfNew` false: a live task answers false and records nothing (only history's marker
    /// makes it true).
    func patched(_ id: String, deprecated: Bool, recordIfNew: Bool = true) -> Bool {
        if let decided = patches.decisions[id] { return decided }
        let use = (!isReplaying && recordIfNew) || patches.markersInHistory.contains(id)
        patches.decisions[id] = use
        guard use, completion == nil, !evicted else { return use }
        outbox.append(key: "patch:\(id)", PatchMarker(id: id, deprecated: deprecated).command)
        if !patches.recordedIds.contains(id) { patches.recordedIds.append(id) }
        // The search attribute follows the marker when the flag is in use: always for a live
        // task (recording the flag), during replay only if the history's worker used it too.
        let flag = PatchMarker.upsertSearchAttributeFlag
        let upsert = !isReplaying || patches.coreFlagsInHistory.contains(flag)
        if upsert {
            if !isReplaying && !patches.coreFlagsInHistory.contains(flag) { patches.coreFlagsToRecord.insert(flag) }
            outbox.append(
                key: "patch-search-attribute:\(id)", PatchMarker.searchAttributeCommand(patchIds: patches.recordedIds))
        }
        return use
    }

    /// Notes what the command events of the task about to be replayed hold: patch markers and
    /// the internal flags its WorkflowTaskCompleted names. `events` starts after its
    /// WorkflowTaskStarted; the scan stops at the next one.
    func peekAhead<Events: Sequence<Temporal_Api_History_V1_HistoryEvent>>(_ events: Events) {
        for event in events {
            if event.eventType == .workflowTaskStarted { return }
            noteFlags(of: event)
            if let marker = PatchMarker(event: event) { patches.markersInHistory.insert(marker.id) }
        }
    }

    func noteFlags(of event: Temporal_Api_History_V1_HistoryEvent) {
        guard case .workflowTaskCompletedEventAttributes(let attributes)? = event.attributes else { return }
        patches.coreFlagsInHistory.formUnion(attributes.sdkMetadata.coreUsedFlags)
    }

    /// The flags to name in the completion being sent; afterwards history names them.
    func takeCoreFlagsToRecord() -> [UInt32] {
        let flags = patches.coreFlagsToRecord.sorted()
        patches.coreFlagsInHistory.formUnion(flags)
        patches.coreFlagsToRecord.removeAll()
        return flags
    }
}
