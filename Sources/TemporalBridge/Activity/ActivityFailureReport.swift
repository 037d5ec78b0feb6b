/// The `Failure` of a RespondActivityTaskFailed: the server refuses one without
/// `ApplicationFailureInfo` (INVALID_ARGUMENT "Failure must have ApplicationFailureInfo"), so any
/// other kind (a stray `CancellationError`, an `ActivityFailure` rethrown from a nested call) is
/// wrapped in an application failure named after the Swift type, keeping the original as cause.
enum ActivityFailureReport {
    static func failure(from error: any Error) -> Temporal_Api_Failure_V1_Failure {
        let converted = FailureConverter.failure(from: error)
        if case .applicationFailureInfo? = converted.failureInfo { return converted }
        var wrapped = Temporal_Api_Failure_V1_Failure()
        wrapped.source = FailureConverter.source
        wrapped.message = error is CancellationError ? "activity was cancelled unexpectedly" : converted.message
        var info = Temporal_Api_Failure_V1_ApplicationFailureInfo()
        info.type = String(describing: type(of: error))
        wrapped.applicationFailureInfo = info
        wrapped.cause = converted
        return wrapped
    }
}
