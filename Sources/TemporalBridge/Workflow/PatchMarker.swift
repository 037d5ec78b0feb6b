#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `core_patch` marker that `Workflow.patched(_:)` and `Workflow.deprecatePatch(_:)` record,
/// written and read the way sdk-core (Python, TypeScript, .NET, Ruby SDKs) does, so histories
/// move between those SDKs and this one:
///
/// - a RecordMarker command named `core_patch` whose details map holds one key, `patch-data`,
///   with a `json/plain` payload `{"id": <patch id>, "deprecated": <bool>}`;
/// - older cores wrote `patch_id` (the id's UTF-8 bytes) and `deprecated` (one byte) instead;
///   both are read;
/// - the marker is followed by an UpsertWorkflowSearchAttributes of `TemporalChangeVersion`
///   (every patch id used so far, sorted) when sdk-core's internal flag 2 is in use, which the
///   workflow task completion records in `sdk_metadata.core_used_flags`.
struct PatchMarker: Equatable, Sendable {
    static let markerName = "core_patch"
    static let detailsKey = "patch-data"
    static let searchAttributeKey = "TemporalChangeVersion"
    /// sdk-core's `CoreInternalFlags::UpsertSearchAttributeOnPatch`.
    static let upsertSearchAttributeFlag: UInt32 = 2

    var id: String
    var deprecated: Bool

    /// The marker details of a RecordMarker command.
    var details: [String: Temporal_Api_Common_V1_Payloads] {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata[PayloadMetadataKey.encoding] = Data(PayloadEncoding.jsonPlain.rawValue.utf8)
        // Field order as sdk-core's serde writes it; the id goes through a JSON encoder for escaping.
        let quotedId = (try? JSONEncoder().encode(id)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        payload.data = Data("{\"id\":\(quotedId),\"deprecated\":\(deprecated)}".utf8)
        var payloads = Temporal_Api_Common_V1_Payloads()
        payloads.payloads = [payload]
        return [Self.detailsKey: payloads]
    }

    var command: Temporal_Api_Command_V1_Command {
        var attributes = Temporal_Api_Command_V1_RecordMarkerCommandAttributes()
        attributes.markerName = Self.markerName
        attributes.details = details
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .recordMarker
        command.recordMarkerCommandAttributes = attributes
        return command
    }

    /// The patch marker of a MarkerRecorded event, nil for any other event.
    init?(event: Temporal_Api_History_V1_HistoryEvent) {
        guard case .markerRecordedEventAttributes(let attributes)? = event.attributes else { return nil }
        self.init(markerName: attributes.markerName, details: attributes.details)
    }

    /// The patch marker of a RecordMarker command, nil for any other command.
    init?(command: Temporal_Api_Command_V1_Command) {
        guard case .recordMarkerCommandAttributes(let attributes)? = command.attributes else { return nil }
        self.init(markerName: attributes.markerName, details: attributes.details)
    }

    init(id: String, deprecated: Bool) {
        self.id = id
        self.deprecated = deprecated
    }

    private init?(markerName: String, details: [String: Temporal_Api_Common_V1_Payloads]) {
        guard markerName == Self.markerName else { return nil }
        if let data = details[Self.detailsKey]?.payloads.first?.data {
            struct PatchData: Decodable {
                var id: String
                var deprecated: Bool
            }
            guard let decoded = try? JSONDecoder().decode(PatchData.self, from: data) else { return nil }
            self.init(id: decoded.id, deprecated: decoded.deprecated)
            return
        }
        guard let idData = details["patch_id"]?.payloads.first?.data,
            let flag = details["deprecated"]?.payloads.first?.data.first
        else { return nil }
        self.init(id: String(decoding: idData, as: UTF8.self), deprecated: flag != 0)
    }

    /// The UpsertWorkflowSearchAttributes command sdk-core sends after a patch marker.
    static func searchAttributeCommand(patchIds: [String]) -> Temporal_Api_Command_V1_Command {
        var payload = Temporal_Api_Common_V1_Payload()
        payload.metadata[PayloadMetadataKey.encoding] = Data(PayloadEncoding.jsonPlain.rawValue.utf8)
        payload.data = (try? JSONEncoder().encode(patchIds.sorted())) ?? Data("[]".utf8)
        var attributes = Temporal_Api_Command_V1_UpsertWorkflowSearchAttributesCommandAttributes()
        attributes.searchAttributes.indexedFields[searchAttributeKey] = payload
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .upsertWorkflowSearchAttributes
        command.upsertWorkflowSearchAttributesCommandAttributes = attributes
        return command
    }

    /// True for the TemporalChangeVersion upsert that follows a patch marker in history.
    static func isSearchAttributeEvent(_ event: Temporal_Api_History_V1_HistoryEvent) -> Bool {
        guard case .upsertWorkflowSearchAttributesEventAttributes(let attributes)? = event.attributes else {
            return false
        }
        return attributes.searchAttributes.indexedFields[searchAttributeKey] != nil
    }
}
