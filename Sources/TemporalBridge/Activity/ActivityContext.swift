import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a running activity can see and do: its info, heartbeats, and cancellation.
///
/// Heartbeats are throttled to 0.8 × the heartbeat timeout (30 s without one); the latest details
/// always win. A heartbeat response saying "cancel requested" cancels the activity's Swift task;
/// the activity then throws `CancellationError` and is reported cancelled.
public final class ActivityContext: Sendable {
    @TaskLocal public static var current: ActivityContext?

    public let info: ActivityInfo
    public let logger: Logger
    let heartbeater: ActivityHeartbeater

    init(info: ActivityInfo, logger: Logger, heartbeater: ActivityHeartbeater) {
        self.info = info
        self.logger = logger.adding([
            "activity_type": .string(info.activityType), "activity_id": .string(info.activityId),
            "workflow_id": .string(info.workflowId), "attempt": .string(String(info.attempt)),
        ])
        self.heartbeater = heartbeater
    }

    /// Records progress; sent to the server at most once per throttle interval.
    public func heartbeat<T: Encodable>(_ details: T) {
        heartbeater.record((try? WorkflowPayloads.encode(details)).map { [$0] } ?? [])
    }

    public func heartbeat() {
        heartbeater.record([])
    }

    /// True once the server asked for cancellation (seen in a heartbeat response) or the worker shuts down.
    public var isCancellationRequested: Bool { heartbeater.cancelRequested }
}
