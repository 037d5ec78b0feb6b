#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `encoding` metadata values of Temporal's default data converter (shared by all official SDKs).
public enum PayloadEncoding: String, Sendable, CaseIterable {
    /// A null / nil value; the data is empty.
    case binaryNull = "binary/null"
    /// Raw bytes, stored as they are.
    case binaryPlain = "binary/plain"
    /// A protobuf message in its proto3 JSON form; `messageType` metadata names the message.
    case jsonProtobuf = "json/protobuf"
    /// A serialized protobuf message; `messageType` metadata names the message.
    case binaryProtobuf = "binary/protobuf"
    /// Any other value, as compact JSON.
    case jsonPlain = "json/plain"
}

/// Metadata keys used by the default data converter.
public enum PayloadMetadataKey {
    public static let encoding = "encoding"
    public static let messageType = "messageType"
}

extension Temporal_Api_Common_V1_Payload {
    /// The `encoding` metadata as text, or nil when absent.
    public var encodingName: String? {
        metadata[PayloadMetadataKey.encoding].map { String(decoding: $0, as: UTF8.self) }
    }

    /// True for a `binary/null` payload (the converter's representation of nil).
    public var isNull: Bool {
        encodingName == PayloadEncoding.binaryNull.rawValue
    }
}
