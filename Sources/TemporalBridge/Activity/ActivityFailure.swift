/// How an activity ended when it did not complete, as seen by the workflow.
public struct ActivityFailure: Error, Sendable, CustomStringConvertible {
    public enum Cause: Sendable, Equatable {
        /// The activity threw (the last attempt's failure).
        case application(ApplicationFailure)
        /// A timeout fired: `startToClose`, `scheduleToStart`, `scheduleToClose` or `heartbeat`.
        case timeout(String)
        /// The activity was cancelled.
        case canceled
        /// Any other failure, by message.
        case other(String)
    }

    public let activityType: String
    public let activityId: String
    /// Server's retry state name, e.g. `NON_RETRYABLE_FAILURE`, `MAXIMUM_ATTEMPTS_REACHED`, `TIMEOUT`.
    public let retryState: String
    public let cause: Cause

    public init(activityType: String, activityId: String, retryState: String, cause: Cause) {
        self.activityType = activityType
        self.activityId = activityId
        self.retryState = retryState
        self.cause = cause
    }

    /// The application failure behind this activity failure, if it was one.
    public var applicationFailure: ApplicationFailure? {
        if case .application(let failure) = cause { return failure }
        return nil
    }

    /// The failure type to branch on: the application failure's type, or `Timeout`/`Canceled`.
    public var type: String {
        switch cause {
        case .application(let failure): return failure.type
        case .timeout: return "Timeout"
        case .canceled: return "Canceled"
        case .other: return "Unknown"
        }
    }

    public var message: String {
        switch cause {
        case .application(let failure): return failure.message
        case .timeout(let kind): return "activity \(activityType) timed out (\(kind))"
        case .canceled: return "activity \(activityType) canceled"
        case .other(let message): return message
        }
    }

    public var description: String {
        "ActivityFailure(activity: \(activityType)#\(activityId), retryState: \(retryState), cause: \(message))"
    }
}
