/// A poll failed in a way retrying cannot fix (wrong namespace, no permission, bad credentials, a
/// request the server rejects): the worker stops and `Worker.run()` throws this.
public struct WorkerFatalError: Error, Sendable, CustomStringConvertible {
    public let namespace: String
    public let taskQueue: String
    public let cause: TemporalRPCError

    /// The status codes that stop a worker instead of being retried.
    public static func isFatal(_ error: TemporalRPCError) -> Bool {
        switch error.code {
        case .notFound, .permissionDenied, .unauthenticated, .invalidArgument: true
        default: false
        }
    }

    public var description: String {
        let what =
            switch cause.code {
            case .notFound:
                "namespace \"\(namespace)\" was not found on the server: create it (temporal operator namespace "
                    + "create \(namespace)) or connect to the namespace that exists"
            case .permissionDenied:
                "this identity may not poll task queue \"\(taskQueue)\" in namespace \"\(namespace)\": grant the "
                    + "API key or client certificate access to the namespace"
            case .unauthenticated:
                "the server did not accept the credentials: check the API key or the TLS client certificate"
            default:
                "the server rejected the poll of task queue \"\(taskQueue)\" in namespace \"\(namespace)\": check "
                    + "the namespace and task queue names"
            }
        return "\(what) (\(cause))"
    }
}
