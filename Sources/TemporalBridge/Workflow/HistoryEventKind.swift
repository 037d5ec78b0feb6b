/// Which history events answer which commands, and readable names for both (for
/// non-determinism messages).
enum HistoryEventKind {
    /// Events written because the workflow sent a command; they follow WorkflowTaskCompleted.
    static func isCommandEvent(_ event: Temporal_Api_History_V1_HistoryEvent) -> Bool {
        switch event.eventType {
        case .activityTaskScheduled, .activityTaskCancelRequested, .timerStarted, .timerCanceled,
            .workflowExecutionCompleted, .workflowExecutionFailed, .workflowExecutionCanceled,
            .workflowExecutionContinuedAsNew, .markerRecorded, .startChildWorkflowExecutionInitiated,
            .signalExternalWorkflowExecutionInitiated, .requestCancelExternalWorkflowExecutionInitiated,
            .upsertWorkflowSearchAttributes:
            return true
        default:
            return false
        }
    }

    /// nil when `event` is what `command` produces; otherwise what differs.
    static func mismatch(
        event: Temporal_Api_History_V1_HistoryEvent,
        command: Temporal_Api_Command_V1_Command
    ) -> String? {
        switch (event.attributes, command.attributes) {
        case (.activityTaskScheduledEventAttributes(let e)?, .scheduleActivityTaskCommandAttributes(let c)?):
            if e.activityType.name != c.activityType.name { return "activity type differs" }
            if e.activityID != c.activityID { return "activity id differs" }
            return nil
        case (.timerStartedEventAttributes(let e)?, .startTimerCommandAttributes(let c)?):
            return e.timerID == c.timerID ? nil : "timer id differs"
        case (.activityTaskCancelRequestedEventAttributes(let e)?, .requestCancelActivityTaskCommandAttributes(let c)?):
            return e.scheduledEventID == c.scheduledEventID ? nil : "cancelled activity differs"
        case (.timerCanceledEventAttributes(let e)?, .cancelTimerCommandAttributes(let c)?):
            return e.timerID == c.timerID ? nil : "timer id differs"
        case (.workflowExecutionCompletedEventAttributes?, .completeWorkflowExecutionCommandAttributes?),
            (.workflowExecutionFailedEventAttributes?, .failWorkflowExecutionCommandAttributes?),
            (.workflowExecutionCanceledEventAttributes?, .cancelWorkflowExecutionCommandAttributes?):
            return nil
        case (.markerRecordedEventAttributes(let e)?, .recordMarkerCommandAttributes(let c)?):
            if e.markerName != c.markerName { return "marker name differs" }
            if let recorded = PatchMarker(event: event), let expected = PatchMarker(command: command),
                recorded.id != expected.id
            {
                return "patch id \"\(recorded.id)\" in history, \"\(expected.id)\" in code"
            }
            if let recorded = LocalActivityMarker(event: event), let expected = LocalActivityMarker(command: command) {
                if recorded.activityType != expected.activityType { return "local activity type differs" }
                if recorded.seq != expected.seq || recorded.activityId != expected.activityId {
                    return "local activity sequence or id differs"
                }
            }
            return nil
        case (.upsertWorkflowSearchAttributesEventAttributes?, .upsertWorkflowSearchAttributesCommandAttributes?),
            (.workflowExecutionContinuedAsNewEventAttributes?, .continueAsNewWorkflowExecutionCommandAttributes?):
            return nil
        default:
            return "different kind"
        }
    }

    static func describe(_ event: Temporal_Api_History_V1_HistoryEvent) -> String {
        switch event.attributes {
        case .activityTaskScheduledEventAttributes(let a)?:
            return "ActivityTaskScheduled(activityType: \(a.activityType.name), activityId: \(a.activityID))"
        case .timerStartedEventAttributes(let a)?:
            return "TimerStarted(timerId: \(a.timerID))"
        case .activityTaskCancelRequestedEventAttributes(let a)?:
            return "ActivityTaskCancelRequested(scheduledEventId: \(a.scheduledEventID))"
        case .timerCanceledEventAttributes(let a)?:
            return "TimerCanceled(timerId: \(a.timerID))"
        case .markerRecordedEventAttributes(let a)?:
            if let patch = PatchMarker(event: event) {
                return "MarkerRecorded(\(a.markerName): \(patch.id)\(patch.deprecated ? ", deprecated" : ""))"
            }
            if let local = LocalActivityMarker(event: event) {
                return
                    "MarkerRecorded(\(a.markerName): \(local.activityType), seq \(local.seq), attempt \(local.attempt))"
            }
            return "MarkerRecorded(\(a.markerName))"
        default:
            return name(of: event.eventType)
        }
    }

    static func describe(_ command: Temporal_Api_Command_V1_Command) -> String {
        switch command.attributes {
        case .scheduleActivityTaskCommandAttributes(let a)?:
            return "ScheduleActivityTask(activityType: \(a.activityType.name), activityId: \(a.activityID))"
        case .startTimerCommandAttributes(let a)?:
            return "StartTimer(timerId: \(a.timerID))"
        case .requestCancelActivityTaskCommandAttributes(let a)?:
            return "RequestCancelActivityTask(scheduledEventId: \(a.scheduledEventID))"
        case .cancelTimerCommandAttributes(let a)?:
            return "CancelTimer(timerId: \(a.timerID))"
        case .completeWorkflowExecutionCommandAttributes?: return "CompleteWorkflowExecution"
        case .failWorkflowExecutionCommandAttributes?: return "FailWorkflowExecution"
        case .cancelWorkflowExecutionCommandAttributes?: return "CancelWorkflowExecution"
        case .recordMarkerCommandAttributes(let a)?:
            if let patch = PatchMarker(command: command) {
                return "RecordMarker(\(a.markerName): \(patch.id)\(patch.deprecated ? ", deprecated" : ""))"
            }
            if let local = LocalActivityMarker(command: command) {
                return
                    "RecordMarker(\(a.markerName): \(local.activityType), seq \(local.seq), attempt \(local.attempt))"
            }
            return "RecordMarker(\(a.markerName))"
        case .continueAsNewWorkflowExecutionCommandAttributes?: return "ContinueAsNewWorkflowExecution"
        case .upsertWorkflowSearchAttributesCommandAttributes?: return "UpsertWorkflowSearchAttributes"
        default: return "\(command.commandType)"
        }
    }

    /// `ACTIVITY_TASK_SCHEDULED` → `ActivityTaskScheduled`.
    static func name(of type: Temporal_Api_Enums_V1_EventType) -> String {
        let raw = "\(type)"
        return raw.prefix(1).uppercased() + raw.dropFirst()
    }
}
