import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `core_local_activity` marker a local activity records, written and read the way sdk-core
/// (Python, TypeScript, .NET, Ruby SDKs) does, so histories move between those SDKs and this one:
///
/// - a RecordMarker command named `core_local_activity`;
/// - details key `data`: one `json/plain` payload, sdk-core's `LocalActivityMarkerData` as serde
///   writes it: `{"seq", "attempt", "activity_id", "activity_type", "complete_time",
///   "backoff", "original_schedule_time"}`, timestamps and durations as `{"seconds", "nanos"}`,
///   absent ones as `null` (sdk-core's reader requires every key but `activation_index`);
/// - details key `result`: the result payload, when the activity completed;
/// - the marker's `failure`: the last attempt's failure when it did not; with `backoff` set, the
///   activity is retried after a timer of that length, as a new local activity of attempt + 1;
/// - the command's `user_metadata.summary`, which the Web UI shows for the marker.
struct LocalActivityMarker: Sendable {
    static let markerName = "core_local_activity"
    static let dataKey = "data"
    static let resultKey = "result"

    var seq: Int
    var attempt: Int
    var activityId: String
    var activityType: String
    /// Workflow time when it completed: the task's time plus the activity's run time.
    var completeTime: Date?
    /// Set when the activity is retried after a timer of this length.
    var backoff: Duration?
    /// Wall-clock time of the first schedule (schedule-to-close counts from it across backoffs).
    var originalScheduleTime: Date?
    var result: Temporal_Api_Common_V1_Payload?
    var failure: Temporal_Api_Failure_V1_Failure?

    // MARK: writing

    func command(summary: Temporal_Api_Common_V1_Payload?) -> Temporal_Api_Command_V1_Command {
        var attributes = Temporal_Api_Command_V1_RecordMarkerCommandAttributes()
        attributes.markerName = Self.markerName
        var data = Temporal_Api_Common_V1_Payload()
        data.metadata[PayloadMetadataKey.encoding] = Data(PayloadEncoding.jsonPlain.rawValue.utf8)
        data.data = Data(json.utf8)
        var dataPayloads = Temporal_Api_Common_V1_Payloads()
        dataPayloads.payloads = [data]
        attributes.details[Self.dataKey] = dataPayloads
        if let result {
            var resultPayloads = Temporal_Api_Common_V1_Payloads()
            resultPayloads.payloads = [result]
            attributes.details[Self.resultKey] = resultPayloads
        }
        if let failure { attributes.failure = failure }
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .recordMarker
        command.recordMarkerCommandAttributes = attributes
        if let summary { command.userMetadata.summary = summary }
        return command
    }

    /// The `data` JSON, keys in sdk-core's order.
    var json: String {
        let id = Self.quoted(activityId)
        let type = Self.quoted(activityType)
        return "{\"seq\":\(seq),\"attempt\":\(attempt),\"activity_id\":\(id),\"activity_type\":\(type),"
            + "\"complete_time\":\(Self.timestamp(completeTime)),\"backoff\":\(Self.duration(backoff)),"
            + "\"original_schedule_time\":\(Self.timestamp(originalScheduleTime))}"
    }

    private static func quoted(_ text: String) -> String {
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    private static func timestamp(_ date: Date?) -> String {
        guard let date else { return "null" }
        let proto = Google_Protobuf_Timestamp(date: date)
        return "{\"seconds\":\(proto.seconds),\"nanos\":\(proto.nanos)}"
    }

    private static func duration(_ duration: Duration?) -> String {
        guard let duration else { return "null" }
        let proto = Google_Protobuf_Duration(rounding: duration)
        return "{\"seconds\":\(proto.seconds),\"nanos\":\(proto.nanos)}"
    }

    // MARK: reading

    /// The local activity marker of a MarkerRecorded event; nil for any other event or a marker
    /// whose data does not decode.
    init?(event: Temporal_Api_History_V1_HistoryEvent) {
        guard case .markerRecordedEventAttributes(let attributes)? = event.attributes,
            attributes.markerName == Self.markerName
        else { return nil }
        self.init(
            details: attributes.details, failure: attributes.hasFailure ? attributes.failure : nil)
    }

    /// The local activity marker of a RecordMarker command; nil for any other command.
    init?(command: Temporal_Api_Command_V1_Command) {
        guard case .recordMarkerCommandAttributes(let attributes)? = command.attributes,
            attributes.markerName == Self.markerName
        else { return nil }
        self.init(
            details: attributes.details, failure: attributes.hasFailure ? attributes.failure : nil)
    }

    /// True for a MarkerRecorded event named `core_local_activity`, readable or not.
    static func isMarker(_ event: Temporal_Api_History_V1_HistoryEvent) -> Bool {
        guard case .markerRecordedEventAttributes(let attributes)? = event.attributes else { return false }
        return attributes.markerName == markerName
    }

    init(
        seq: Int, attempt: Int, activityId: String, activityType: String, completeTime: Date?,
        backoff: Duration?, originalScheduleTime: Date?, result: Temporal_Api_Common_V1_Payload?,
        failure: Temporal_Api_Failure_V1_Failure?
    ) {
        self.seq = seq
        self.attempt = attempt
        self.activityId = activityId
        self.activityType = activityType
        self.completeTime = completeTime
        self.backoff = backoff
        self.originalScheduleTime = originalScheduleTime
        self.result = result
        self.failure = failure
    }

    private init?(
        details: [String: Temporal_Api_Common_V1_Payloads], failure: Temporal_Api_Failure_V1_Failure?
    ) {
        guard let json = details[Self.dataKey]?.payloads.first?.data,
            let data = try? JSONDecoder().decode(MarkerData.self, from: json)
        else { return nil }
        self.init(
            seq: Int(data.seq), attempt: Int(data.attempt), activityId: data.activityId,
            activityType: data.activityType, completeTime: data.completeTime?.date,
            backoff: data.backoff?.duration, originalScheduleTime: data.originalScheduleTime?.date,
            result: details[Self.resultKey]?.payloads.first, failure: failure)
    }

    /// sdk-core's `LocalActivityMarkerData` in serde's JSON form.
    private struct MarkerData: Decodable {
        struct Time: Decodable {
            var seconds: Int64
            var nanos: Int32
            var date: Date {
                var proto = Google_Protobuf_Timestamp()
                proto.seconds = seconds
                proto.nanos = nanos
                return proto.date
            }
            var duration: Duration { .seconds(seconds) + .nanoseconds(Int64(nanos)) }
        }
        var seq: UInt32
        var attempt: UInt32
        var activityId: String
        var activityType: String
        var completeTime: Time?
        var backoff: Time?
        var originalScheduleTime: Time?

        enum CodingKeys: String, CodingKey {
            case seq, attempt, backoff
            case activityId = "activity_id"
            case activityType = "activity_type"
            case completeTime = "complete_time"
            case originalScheduleTime = "original_schedule_time"
        }
    }
}
