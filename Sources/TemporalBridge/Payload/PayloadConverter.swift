import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns Swift values into Temporal payloads and back, compatible with the default data converter of
/// the official SDKs (checked against the Python SDK's bytes in the tests):
///
/// | value | `encoding` | data |
/// |---|---|---|
/// | `nil` (any `Optional.none`) | `binary/null` | empty |
/// | `Data` / `[UInt8]` | `binary/plain` | the bytes |
/// | SwiftProtobuf message (`toPayload(message:)`) | `json/protobuf` + `messageType` | proto3 JSON |
/// | any other `Encodable` | `json/plain` | compact JSON, keys sorted (like Python's `sort_keys=True`) |
public struct PayloadConverter: Sendable {
    public init() {}

    // MARK: - Encoding

    /// Encodes one value as one payload.
    public func toPayload<T: Encodable>(_ value: T) throws -> Temporal_Api_Common_V1_Payload {
        guard let unwrapped = unwrapPayloadOptional(value) else {
            return Self.payload(.binaryNull, data: Data())
        }
        if let data = unwrapped as? Data {
            return Self.payload(.binaryPlain, data: data)
        }
        // By type, not by cast: any empty array casts to [UInt8], and `[String]()` is JSON's `[]`.
        if type(of: unwrapped) == [UInt8].self, let bytes = unwrapped as? [UInt8] {
            return Self.payload(.binaryPlain, data: Data(bytes))
        }
        do {
            return Self.payload(.jsonPlain, data: try PayloadJSON.encode(value))
        } catch {
            throw PayloadConversionError.encodingFailed(type: "\(T.self)", reason: "\(error)")
        }
    }

    /// Encodes a protobuf message as a `json/protobuf` payload (e.g. the answer of the
    /// `__temporal_workflow_metadata` query).
    public func toPayload<M: SwiftProtobuf.Message>(message: M) throws -> Temporal_Api_Common_V1_Payload {
        do {
            var payload = Self.payload(.jsonProtobuf, data: try message.jsonUTF8Data())
            payload.metadata[PayloadMetadataKey.messageType] = Data(M.protoMessageName.utf8)
            return payload
        } catch {
            throw PayloadConversionError.encodingFailed(type: M.protoMessageName, reason: "\(error)")
        }
    }

    /// Encodes each argument as one payload, in order.
    public func toPayloads(_ values: any Encodable...) throws -> Temporal_Api_Common_V1_Payloads {
        try toPayloads(values)
    }

    /// Encodes each element as one payload, in order.
    public func toPayloads(_ values: [any Encodable]) throws -> Temporal_Api_Common_V1_Payloads {
        var payloads = Temporal_Api_Common_V1_Payloads()
        payloads.payloads = try values.map { try toPayload($0) }
        return payloads
    }

    // MARK: - Decoding

    /// Decodes one payload into `type`. `binary/null` gives nil for optional types.
    public func fromPayload<T: Decodable>(_ payload: Temporal_Api_Common_V1_Payload, as type: T.Type = T.self) throws
        -> T
    {
        guard let encodingName = payload.encodingName else {
            throw PayloadConversionError.missingEncoding
        }
        switch PayloadEncoding(rawValue: encodingName) {
        case .binaryNull:
            return try Self.none(of: T.self)
        case .binaryPlain:
            // Casting also injects into Optional<Data> / Optional<[UInt8]>.
            if let data = payload.data as? T { return data }
            if let bytes = [UInt8](payload.data) as? T { return bytes }
            throw PayloadConversionError.unsupportedEncoding(encoding: encodingName, type: "\(T.self)")
        case .jsonPlain:
            do {
                return try PayloadJSON.decode(T.self, from: payload.data)
            } catch {
                throw PayloadConversionError.decodingFailed(
                    encoding: encodingName, type: "\(T.self)", reason: "\(error)")
            }
        case .jsonProtobuf, .binaryProtobuf, nil:
            throw PayloadConversionError.unsupportedEncoding(encoding: encodingName, type: "\(T.self)")
        }
    }

    /// Decodes a `json/protobuf` or `binary/protobuf` payload into message type `M`.
    /// Unknown JSON fields are ignored: a newer sender may know more fields than we do.
    public func fromPayload<M: SwiftProtobuf.Message>(_ payload: Temporal_Api_Common_V1_Payload, message type: M.Type)
        throws -> M
    {
        guard let encodingName = payload.encodingName else {
            throw PayloadConversionError.missingEncoding
        }
        if let messageType = payload.metadata[PayloadMetadataKey.messageType] {
            let actual = String(decoding: messageType, as: UTF8.self)
            guard actual == M.protoMessageName else {
                throw PayloadConversionError.messageTypeMismatch(expected: M.protoMessageName, actual: actual)
            }
        }
        do {
            switch PayloadEncoding(rawValue: encodingName) {
            case .jsonProtobuf:
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try M(jsonUTF8Data: payload.data, options: options)
            case .binaryProtobuf:
                return try M(serializedBytes: payload.data)
            default:
                throw PayloadConversionError.unsupportedEncoding(encoding: encodingName, type: M.protoMessageName)
            }
        } catch let error as PayloadConversionError {
            throw error
        } catch {
            throw PayloadConversionError.decodingFailed(
                encoding: encodingName, type: M.protoMessageName, reason: "\(error)")
        }
    }

    /// Decodes the payload at `index` (one payload per argument). A missing payload decodes to nil
    /// for optional types, as a missing trailing argument does in the other SDKs.
    public func fromPayloads<T: Decodable>(
        _ payloads: Temporal_Api_Common_V1_Payloads, at index: Int, as type: T.Type = T.self
    ) throws -> T {
        guard payloads.payloads.indices.contains(index) else {
            if T.self is any PayloadOptional.Type {
                return try Self.none(of: T.self)
            }
            throw PayloadConversionError.missingPayload(index: index, count: payloads.payloads.count, type: "\(T.self)")
        }
        return try fromPayload(payloads.payloads[index], as: T.self)
    }

    // MARK: - Helpers

    private static func payload(_ encoding: PayloadEncoding, data: Data) -> Temporal_Api_Common_V1_Payload {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata[PayloadMetadataKey.encoding] = Data(encoding.rawValue.utf8)
        payload.data = data
        return payload
    }

    private static func none<T>(of type: T.Type) throws -> T {
        guard let optionalType = T.self as? any PayloadOptional.Type, let none = optionalType.payloadNone as? T else {
            throw PayloadConversionError.unexpectedNull(type: "\(T.self)")
        }
        return none
    }
}
