#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A failed WorkflowService call: the gRPC status plus the decoded Temporal details.
public struct TemporalRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: RPCStatusCode
    public let message: String
    public let details: [TemporalErrorDetail]
    /// The bare RPC name, e.g. "StartWorkflowExecution" (empty when not tied to one call).
    public let method: String

    public init(code: RPCStatusCode, message: String, details: [TemporalErrorDetail] = [], method: String = "") {
        self.code = code
        self.message = message
        self.details = details
        self.method = method
    }

    /// The first decoded detail, which is the only one Temporal sends in practice.
    public var detail: TemporalErrorDetail? { details.first }

    /// A message that exceeded the 128 MiB limit: retrying cannot help.
    public var isMessageTooLarge: Bool {
        code == .resourceExhausted && message.contains("larger than max")
    }

    public var description: String {
        let call = method.isEmpty ? "" : "\(method): "
        return "\(call)\(code) (\(code.rawValue)): \(message)"
    }
}
