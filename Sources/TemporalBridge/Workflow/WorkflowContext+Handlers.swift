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
        } else {
            bufferedSignals.append((name, arguments))
        }
    }

    func setQueryHandler(_ name: String, description: String, _ handler: QueryHandler) {
        if queryHandlers[name] == nil { queryNames.append(name) }
        queryHandlers[name] = handler
    }
}
