import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A Temporal error detail carried in `grpc-status-details-bin` (a `google.rpc.Status`
/// whose `details` are `Any`s of `temporal.api.errordetails.v1.*`).
public enum TemporalErrorDetail: Sendable, Equatable {
    case workflowAlreadyStarted(startRequestId: String, runId: String)
    case notFound
    case namespaceNotFound(String)
    case queryFailed(Temporal_Api_Failure_V1_Failure?)
    case resourceExhausted(cause: Temporal_Api_Enums_V1_ResourceExhaustedCause)
    case other(typeURL: String)

    private static let prefix = "type.googleapis.com/temporal.api.errordetails.v1."

    /// Decodes one `Any`; a detail that does not parse is reported as `.other`.
    init(any: Google_Protobuf_Any) {
        let typeURL = any.typeURL
        let name = typeURL.hasPrefix(Self.prefix) ? String(typeURL.dropFirst(Self.prefix.count)) : ""
        let value = any.value
        switch name {
        case "WorkflowExecutionAlreadyStartedFailure":
            if let d = try? Temporal_Api_Errordetails_V1_WorkflowExecutionAlreadyStartedFailure(serializedBytes: value)
            {
                self = .workflowAlreadyStarted(startRequestId: d.startRequestID, runId: d.runID)
                return
            }
        case "NotFoundFailure":
            self = .notFound
            return
        case "NamespaceNotFoundFailure":
            if let d = try? Temporal_Api_Errordetails_V1_NamespaceNotFoundFailure(serializedBytes: value) {
                self = .namespaceNotFound(d.namespace)
                return
            }
        case "QueryFailedFailure":
            if let d = try? Temporal_Api_Errordetails_V1_QueryFailedFailure(serializedBytes: value) {
                self = .queryFailed(d.hasFailure ? d.failure : nil)
                return
            }
        case "ResourceExhaustedFailure":
            if let d = try? Temporal_Api_Errordetails_V1_ResourceExhaustedFailure(serializedBytes: value) {
                self = .resourceExhausted(cause: d.cause)
                return
            }
        default:
            break
        }
        self = .other(typeURL: typeURL)
    }

    /// Decodes every detail of a serialized `google.rpc.Status`; empty when absent or unreadable.
    static func decode(statusDetailsBin: Data) -> [TemporalErrorDetail] {
        guard !statusDetailsBin.isEmpty,
            let status = try? Google_Rpc_Status(serializedBytes: statusDetailsBin)
        else { return [] }
        return status.details.map(TemporalErrorDetail.init(any:))
    }
}
