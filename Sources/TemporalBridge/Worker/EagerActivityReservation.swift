import Foundation
import SwiftProtobuf

/// Eager activity dispatch: marks up to 3 ScheduleActivityTask commands on the worker's own
/// queue with `request_eager_execution` (holding an activity slot for each) and runs the
/// activity tasks the server returns in `RespondWorkflowTaskCompletedResponse.activity_tasks`.
///
/// Our pruned protos omit both fields, so they are written and read as raw protobuf fields:
/// ScheduleActivityTaskCommandAttributes field 12 (bool) and response field 2 (repeated message).
final class EagerActivityReservation: @unchecked Sendable {
    static let maxPerTask = 3
    private let core: WorkerCore
    private var reserved = 0

    init?(core: WorkerCore, commands: inout [Temporal_Api_Command_V1_Command]) {
        self.core = core
        for index in commands.indices where reserved < Self.maxPerTask {
            guard case .scheduleActivityTaskCommandAttributes(var attributes)? = commands[index].attributes,
                  attributes.taskQueue.name == core.taskQueue,
                  core.activities[attributes.activityType.name] != nil,
                  !core.inFlightActivities.isShuttingDown,
                  core.activitySlots.tryAcquire()
            else { continue }
            guard var data = try? attributes.serializedBytes() as Data else { core.activitySlots.release(); continue }
            data.append(contentsOf: [0x60, 0x01]) // field 12, varint, true
            guard let marked = try? Temporal_Api_Command_V1_ScheduleActivityTaskCommandAttributes(serializedBytes: data) else {
                core.activitySlots.release()
                continue
            }
            attributes = marked
            commands[index].scheduleActivityTaskCommandAttributes = attributes
            reserved += 1
        }
        if reserved == 0 { return nil }
    }

    func releaseAll() {
        for _ in 0..<reserved { core.activitySlots.release() }
        reserved = 0
    }

    func dispatch(_ response: Temporal_Api_Workflowservice_V1_RespondWorkflowTaskCompletedResponse) {
        var tasks: [Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse] = []
        tasks = Self.activityTasks(in: response.unknownFields.data)
        for task in tasks.prefix(reserved) {
            reserved -= 1
            core.count { $0.eagerActivities += 1 }
            core.metrics.eagerActivities.increment()
            core.runActivity?(task) // takes over the reserved slot
        }
        releaseAll()
    }

    /// Field 2 entries of a raw protobuf message.
    static func activityTasks(in data: Data) -> [Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse] {
        let bytes = [UInt8](data)
        var index = 0
        var result: [Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse] = []
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
        while index < bytes.count, let key = varint() {
            switch key & 7 {
            case 0: guard varint() != nil else { return result }
            case 1: index += 8
            case 5: index += 4
            case 2:
                guard let length = varint(), index + Int(length) <= bytes.count else { return result }
                let field = Data(bytes[index..<index + Int(length)])
                index += Int(length)
                if key >> 3 == 2,
                   let task = try? Temporal_Api_Workflowservice_V1_PollActivityTaskQueueResponse(serializedBytes: field) {
                    result.append(task)
                }
            default:
                return result
            }
        }
        return result
    }
}
