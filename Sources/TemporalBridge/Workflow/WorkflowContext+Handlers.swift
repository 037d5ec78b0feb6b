#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

typealias SignalHandler = (WorkflowArguments) -> Void

/// A read-only query handler: arguments in, one payload out.
struct QueryHandler {
    let description: String
    let handle: (WorkflowArguments) throws -> Temporal_Api_Common_V1_Payload
}

extension WorkflowContext {
    func setSignalHandler(_ name: String, description: String, _ handler: @escaping SignalHandler) {
        if signalHandlers[name] == nil { signalNames.append(name) }
        signalHandlers[name] = handler
        signalDescriptions[name] = description.isEmpty ? nil : description
        // Signals that arrived before the handler existed are delivered now, in arrival order.
        let pending = bufferedSignals.filter { $0.name == name }
        bufferedSignals.removeAll { $0.name == name }
        for signal in pending { handler(signal.arguments) }
    }

    func deliverSignal(name: String, arguments: WorkflowArguments) {
        if let handler = signalHandlers[name] {
            withCurrent { handler(arguments) }
        } else if bufferedSignals.count < Self.maxBufferedSignals {
            bufferedSignals.append((name, arguments))
        } else if taskFailure == nil {
            // Past the bound the run stops taking signals: the task fails (and is retried) instead
            // of the buffer growing without limit; registering a handler is the fix.
            taskFailure = WorkflowTaskFailure(
                "signal \"\(name)\" arrived while \(Self.maxBufferedSignals) signals already wait for a handler "
                    + "(pending: \(Set(bufferedSignals.map(\.name)).sorted().joined(separator: ", "))): register "
                    + "the handlers with Workflow.setSignalHandler before the workflow waits")
        }
    }

    /// Adds an activity status observer; past `maxActivityObservers` the task fails instead.
    func addActivityObserver(_ observer: @escaping (ActivityStatus) -> Void) {
        guard activityObservers.count < Self.maxActivityObservers else {
            if taskFailure == nil {
                taskFailure = WorkflowTaskFailure(
                    "more than \(Self.maxActivityObservers) Workflow.onActivityStatus observers registered: register "
                        + "one observer when the workflow starts, not one per activity")
            }
            return
        }
        activityObservers.append(observer)
    }

    func setQueryHandler(_ name: String, description: String, _ handler: QueryHandler) {
        if queryHandlers[name] == nil { queryNames.append(name) }
        queryHandlers[name] = handler
    }
}
