/// Turns Swift errors into Temporal `Failure` messages and back.
enum FailureConverter {
    static let source = "TemporalBridge-Swift"

    static func failure(from error: any Error) -> Temporal_Api_Failure_V1_Failure {
        var failure = Temporal_Api_Failure_V1_Failure()
        failure.source = source
        switch error {
        case let app as ApplicationFailure:
            failure.message = app.message
            var info = Temporal_Api_Failure_V1_ApplicationFailureInfo()
            info.type = app.type
            info.nonRetryable = app.nonRetryable
            if !app.details.isEmpty {
                var details = Temporal_Api_Common_V1_Payloads()
                details.payloads = app.details
                info.details = details
            }
            failure.applicationFailureInfo = info
        case let activity as ActivityFailure:
            failure.message = "activity error"
            var info = Temporal_Api_Failure_V1_ActivityFailureInfo()
            info.activityID = activity.activityId
            var type = Temporal_Api_Common_V1_ActivityType()
            type.name = activity.activityType
            info.activityType = type
            failure.activityFailureInfo = info
            failure.cause = causeFailure(of: activity)
        case is CancellationError:
            failure.message = "canceled"
            failure.canceledFailureInfo = Temporal_Api_Failure_V1_CanceledFailureInfo()
        default:
            failure.message = String(describing: error)
            var info = Temporal_Api_Failure_V1_ApplicationFailureInfo()
            info.type = String(describing: Swift.type(of: error))
            failure.applicationFailureInfo = info
        }
        return failure
    }

    private static func causeFailure(of activity: ActivityFailure) -> Temporal_Api_Failure_V1_Failure {
        switch activity.cause {
        case .application(let app): return failure(from: app)
        case .canceled: return failure(from: CancellationError())
        case .timeout(let kind):
            var failure = Temporal_Api_Failure_V1_Failure()
            failure.message = "activity \(kind) timeout"
            failure.source = source
            failure.timeoutFailureInfo = Temporal_Api_Failure_V1_TimeoutFailureInfo()
            return failure
        case .other(let message):
            var failure = Temporal_Api_Failure_V1_Failure()
            failure.message = message
            failure.source = source
            return failure
        }
    }

    /// The cause the workflow sees for an activity that failed or timed out.
    static func activityCause(from failure: Temporal_Api_Failure_V1_Failure) -> ActivityFailure.Cause {
        switch failure.failureInfo {
        case .applicationFailureInfo(let info)?:
            return .application(
                ApplicationFailure(
                    type: info.type, message: failure.message,
                    nonRetryable: info.nonRetryable,
                    details: info.details.payloads))
        case .timeoutFailureInfo(let info)?:
            // A start-to-close timeout after retries carries the last application failure as cause.
            if failure.hasCause, case .applicationFailureInfo? = failure.cause.failureInfo {
                return activityCause(from: failure.cause)
            }
            return .timeout(timeoutName(info.timeoutType))
        case .canceledFailureInfo?:
            return .canceled
        default:
            if failure.hasCause { return activityCause(from: failure.cause) }
            return .other(failure.message)
        }
    }

    static func timeoutName(_ type: Temporal_Api_Enums_V1_TimeoutType) -> String {
        switch type {
        case .startToClose: return "StartToClose"
        case .scheduleToStart: return "ScheduleToStart"
        case .scheduleToClose: return "ScheduleToClose"
        case .heartbeat: return "Heartbeat"
        default: return "Unspecified"
        }
    }

    static func retryStateName(_ state: Temporal_Api_Enums_V1_RetryState) -> String {
        switch state {
        case .inProgress: return "IN_PROGRESS"
        case .nonRetryableFailure: return "NON_RETRYABLE_FAILURE"
        case .timeout: return "TIMEOUT"
        case .maximumAttemptsReached: return "MAXIMUM_ATTEMPTS_REACHED"
        case .retryPolicyNotSet: return "RETRY_POLICY_NOT_SET"
        case .internalServerError: return "INTERNAL_SERVER_ERROR"
        case .cancelRequested: return "CANCEL_REQUESTED"
        default: return "UNSPECIFIED"
        }
    }
}
