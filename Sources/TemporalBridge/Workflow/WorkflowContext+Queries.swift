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
    func answerQuery(name: String, arguments: WorkflowArguments) throws -> Temporal_Api_Common_V1_Payload {
        switch name {
        case Self.stackTraceQuery:
            return try WorkflowPayloads.encode(stackTrace())
        case Self.metadataQuery:
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

    /// Where each workflow coroutine is parked, one line per wait.
    func stackTrace() -> String {
        var lines: [String] = []
        for activity in activities.values.sorted(by: { $0.seq < $1.seq }) where !activity.slot.isResolved {
            let scheduled = activity.scheduledEventId.map { ", scheduledEventId \($0)" } ?? ""
            lines.append(
                "coroutine \(lines.count + 1): awaiting activity \(activity.activityType) "
                    + "(activityId \(activity.activityId)\(scheduled), attempt \(activity.attempt))")
        }
        for timer in timers.values.sorted(by: {
            $0.timerId.count == $1.timerId.count ? $0.timerId < $1.timerId : $0.timerId.count < $1.timerId.count
        })
        where !timer.slot.isResolved {
            lines.append("coroutine \(lines.count + 1): awaiting timer \(timer.timerId) (\(timer.duration))")
        }
        for waiter in conditions {
            lines.append("coroutine \(lines.count + 1): awaiting condition \(waiter.id) (Workflow.condition)")
        }
        if lines.isEmpty {
            lines.append(
                completion == nil
                    ? "workflow \(info.workflowType) is running, nothing pending"
                    : "workflow \(info.workflowType) has finished")
        }
        return lines.joined(separator: "\n")
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
            return definition
        }
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata["encoding"] = Data("json/protobuf".utf8)
        payload.metadata["messageType"] = Data(Temporal_Api_Sdk_V1_WorkflowMetadata.protoMessageName.utf8)
        payload.data = try metadata.jsonUTF8Data()
        return payload
    }
}
