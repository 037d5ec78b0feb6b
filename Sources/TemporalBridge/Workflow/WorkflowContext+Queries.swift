import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A query the workflow cannot answer (unknown name or a throwing handler).
public struct QueryFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension WorkflowContext {
    static let stackTraceQuery = "__stack_trace"
    static let metadataQuery = "__temporal_workflow_metadata"

    /// Answers a query from the current state. Query handlers must not change workflow state.
    /// `liveActivities` (by activity id) adds to the stack trace what history does not show yet.
    func answerQuery(
        name: String, arguments: WorkflowArguments, liveActivities: [String: LiveActivityAttempt] = [:]
    ) throws -> Temporal_Api_Common_V1_Payload {
        switch name {
        case Self.stackTraceQuery:
            return try WorkflowPayloads.encode(stackTrace(liveActivities: liveActivities))
        case Self.metadataQuery:
            queryTimeActivities = liveActivities
            defer { queryTimeActivities = [:] }
            return try metadataPayload()
        default:
            guard let handler = queryHandlers[name] else {
                let known = ([Self.stackTraceQuery, Self.metadataQuery] + queryNames).sorted()
                throw QueryFailure(
                    message: "unknown queryType \(name). KnownQueryTypes=[\(known.joined(separator: " "))]")
            }
            do {
                return try withCurrent { try handler.handle(arguments) }
            } catch {
                throw QueryFailure(message: "query \(name) failed: \(error)")
            }
        }
    }

    /// Where each workflow coroutine is parked, one line per wait, each naming the source line of
    /// the `Workflow` call it awaits, e.g.
    /// `coroutine 1 awaiting activity: OrderWorker/OrderProcess.swift:27 ProcessPayment (attempt 2 of 5, activityId 3)`.
    func stackTrace(liveActivities: [String: LiveActivityAttempt] = [:]) -> String {
        var lines: [String] = []
        for activity in activities.values.sorted(by: { $0.seq < $1.seq }) where !activity.slot.isResolved {
            let live = liveActivities[activity.activityId]
            let attempt = max(activity.attempt, live?.attempt ?? 1)
            let maximum = live?.maximumAttempts ?? activity.maximumAttempts
            var facts = [maximum > 0 ? "attempt \(attempt) of \(maximum)" : "attempt \(attempt)"]
            facts.append("activityId \(activity.activityId)")
            if let failure = live?.lastFailure { facts.append("last failure: \(Self.oneLine(failure))") }
            lines.append(
                "coroutine \(lines.count + 1) awaiting activity: \(activity.site) \(activity.activityType) "
                    + "(\(facts.joined(separator: ", ")))")
        }
        for timer in timers.values.sorted(by: {
            $0.timerId.count == $1.timerId.count ? $0.timerId < $1.timerId : $0.timerId.count < $1.timerId.count
        })
        where !timer.slot.isResolved {
            lines.append(
                "coroutine \(lines.count + 1) awaiting timer: \(timer.site) Workflow.sleep(for: \(timer.duration)) "
                    + "(timerId \(timer.timerId))")
        }
        for waiter in conditions {
            lines.append("coroutine \(lines.count + 1) awaiting condition: \(waiter.site) Workflow.condition")
        }
        if lines.isEmpty {
            lines.append(
                completion == nil
                    ? "workflow \(info.workflowType) is running, nothing pending"
                    : "workflow \(info.workflowType) has finished")
        }
        return lines.joined(separator: "\n")
    }

    /// A failure message on one line and short enough to read in a stack line.
    private static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 160 ? String(flat.prefix(159)) + "…" : flat
    }

    private func metadataPayload() throws -> Temporal_Api_Common_V1_Payload {
        var metadata = Temporal_Api_Sdk_V1_WorkflowMetadata()
        metadata.definition.type = info.workflowType
        metadata.definition.queryDefinitions = queryNames.map { name in
            var definition = Temporal_Api_Sdk_V1_WorkflowInteractionDefinition()
            definition.name = name
            definition.description_p = queryHandlers[name]?.description ?? ""
            return definition
        }
        metadata.definition.signalDefinitions = signalNames.map { name in
            var definition = Temporal_Api_Sdk_V1_WorkflowInteractionDefinition()
            definition.name = name
            definition.description_p = signalDescriptions[name] ?? ""
            return definition
        }
        metadata.currentDetails = currentDetailsRenderer.map { render in withCurrent { render() } } ?? currentDetails
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata["encoding"] = Data("json/protobuf".utf8)
        payload.metadata["messageType"] = Data(Temporal_Api_Sdk_V1_WorkflowMetadata.protoMessageName.utf8)
        payload.data = try metadata.jsonUTF8Data()
        return payload
    }
}
