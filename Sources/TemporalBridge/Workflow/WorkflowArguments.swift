/// The payloads a signal or query was sent with, decoded on demand.
public struct WorkflowArguments: Sendable {
    public let payloads: [Temporal_Api_Common_V1_Payload]

    public init(_ payloads: [Temporal_Api_Common_V1_Payload]) { self.payloads = payloads }

    public var count: Int { payloads.count }

    /// Decodes argument `index`; throws when it is missing or does not decode.
    public func decode<T: Decodable>(_ type: T.Type = T.self, at index: Int = 0) throws -> T {
        try WorkflowPayloads.decode(index < payloads.count ? payloads[index] : nil, as: T.self)
    }

    /// Decodes argument `index`, or nil when it is missing, null or does not decode.
    public func decodeIfPresent<T: Decodable>(_ type: T.Type = T.self, at index: Int = 0) -> T? {
        guard index < payloads.count else { return nil }
        return try? WorkflowPayloads.decode(payloads[index], as: T?.self) ?? nil
    }
}
