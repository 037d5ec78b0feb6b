#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where and how to reach the Temporal frontend.
public struct TemporalConnectionOptions: Sendable {
    /// TLS material given as file paths; PEM contents are read when connecting.
    public struct TLS: Sendable, Hashable {
        /// CA bundle; nil = the system roots.
        public var caFile: String?
        /// Client certificate and key for mTLS (both or neither).
        public var certFile: String?
        public var keyFile: String?
        /// Name to verify in the server certificate instead of the target host.
        public var serverNameOverride: String?

        public init(
            caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, serverNameOverride: String? = nil
        ) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.serverNameOverride = serverNameOverride
        }
    }

    /// gRPC target, "host:port".
    public var target: String
    public var namespace: String
    /// Free text the server records on events; SDKs use "pid@host".
    public var identity: String
    /// nil = plaintext HTTP/2.
    public var tls: TLS?
    /// Sent as `authorization: Bearer <key>` on every call when set.
    public var apiKey: String?
    public var clientName: String
    public var clientVersion: String

    public init(
        target: String = "localhost:7233",
        namespace: String = "default",
        identity: String = TemporalConnectionOptions.defaultIdentity,
        tls: TLS? = nil,
        apiKey: String? = nil,
        clientName: String = "temporal-swift",
        clientVersion: String = SDKIdentity.version
    ) {
        self.target = target
        self.namespace = namespace
        self.identity = identity
        self.tls = tls
        self.apiKey = apiKey
        self.clientName = clientName
        self.clientVersion = clientVersion
    }

    /// "pid@hostname", like the other SDKs.
    public static var defaultIdentity: String {
        "\(ProcessInfo.processInfo.processIdentifier)@\(ProcessInfo.processInfo.hostName)"
    }

    /// Metadata sent on every call.
    var callMetadata: [(key: String, value: String)] {
        var metadata: [(key: String, value: String)] = [
            ("client-name", clientName),
            ("client-version", clientVersion),
            ("temporal-namespace", namespace),
        ]
        if let apiKey { metadata.append(("authorization", "Bearer \(apiKey)")) }
        return metadata
    }
}
