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

    /// Reads `TEMPORAL_HOST_PORT`, `TEMPORAL_NAMESPACE`, `TEMPORAL_TLS_CA`, `TEMPORAL_TLS_CERT`,
    /// `TEMPORAL_TLS_KEY`, `TEMPORAL_TLS_SERVER_NAME` and `TEMPORAL_API_KEY` (unset = defaults, plaintext).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        func value(_ key: String) -> String? {
            guard let v = env[key], !v.isEmpty else { return nil }
            return v
        }
        var options = TemporalConnectionOptions()
        if let target = value("TEMPORAL_HOST_PORT") { options.target = target }
        if let namespace = value("TEMPORAL_NAMESPACE") { options.namespace = namespace }
        options.apiKey = value("TEMPORAL_API_KEY")
        let ca = value("TEMPORAL_TLS_CA")
        let cert = value("TEMPORAL_TLS_CERT")
        let key = value("TEMPORAL_TLS_KEY")
        let serverName = value("TEMPORAL_TLS_SERVER_NAME")
        if ca != nil || cert != nil || key != nil || serverName != nil {
            options.tls = TLS(caFile: ca, certFile: cert, keyFile: key, serverNameOverride: serverName)
        }
        return options
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
