/// Setting up a connection failed before any call was made.
public enum TemporalConnectionError: Error, Sendable, Equatable {
    /// A TLS file could not be read.
    case unreadableTLSFile(path: String)
    /// Only one of certFile/keyFile was given.
    case incompleteClientCertificate
    /// gRPC-core refused the target or the credentials.
    case channelCreationFailed(target: String)
}
