import Logging
import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Replays recorded histories against the current workflow code; throws `NonDeterminismError`
/// when the code no longer produces what history recorded.
public struct WorkflowReplayer: Sendable {
    private let definitions: [String: WorkflowDefinition]
    private let logger: Logger

    public init(workflows: [WorkflowDefinition], logger: Logger = Logger(label: "WorkflowReplayer")) {
        self.definitions = Dictionary(workflows.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.logger = logger
    }

    /// Replays `history`; returns the commands the code would send next (empty for a closed run).
    @discardableResult
    public func replay(_ history: Temporal_Api_History_V1_History) throws -> [Temporal_Api_Command_V1_Command] {
        guard let first = history.events.first,
            case .workflowExecutionStartedEventAttributes(let started)? = first.attributes
        else {
            throw WorkflowTaskFailure("history does not start with WorkflowExecutionStarted")
        }
        guard let definition = definitions[started.workflowType.name] else {
            throw WorkflowTaskFailure("workflow type \(started.workflowType.name) is not registered")
        }
        let runId = started.originalExecutionRunID.isEmpty ? "replay-run" : started.originalExecutionRunID
        let run = WorkflowRun(
            definition: definition, namespace: "replay",
            workflowId: started.workflowID.isEmpty ? "replay" : started.workflowID,
            runId: runId, logger: logger)
        defer { run.evict() }
        let last = history.events.last!
        let live: Int64? = last.eventType == .workflowTaskStarted ? last.eventID : nil
        let commands = try run.apply(events: history.events, liveStartedEventId: live)
        if live == nil { try run.finishReplay() }
        return commands
    }

    /// Replays a binary-encoded `temporal.api.history.v1.History`.
    @discardableResult
    public func replay(binary data: Data) throws -> [Temporal_Api_Command_V1_Command] {
        try replay(Temporal_Api_History_V1_History(serializedBytes: data))
    }

    /// Replays proto3 JSON as printed by `temporal workflow show -o json`.
    @discardableResult
    public func replay(json data: Data) throws -> [Temporal_Api_Command_V1_Command] {
        try replay(Self.decodeHistory(json: data))
    }

    /// Decodes proto3 JSON as printed by `temporal workflow show -o json` (to replay it many times).
    public static func decodeHistory(json data: Data) throws -> Temporal_Api_History_V1_History {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return try Temporal_Api_History_V1_History(jsonUTF8Data: data, options: options)
    }
}
