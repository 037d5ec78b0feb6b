/// How to reach the Temporal frontend, and where its Web UI is (for links).
public struct TemporalSettings: Sendable, Equatable {
    public var hostPort: String
    public var namespace: String
    public var taskQueue: String
    /// PEM file paths for TLS; all nil with no API key means plaintext.
    public var tlsCA: String?
    public var tlsCert: String?
    public var tlsKey: String?
    /// Sent as a bearer token (Temporal Cloud); implies TLS.
    public var apiKey: String?
    /// Base URL of the Web UI without a trailing slash, e.g. `http://localhost:8088`.
    public var uiURL: String

    public init(
        hostPort: String = "localhost:7233", namespace: String = "default", taskQueue: String = "order-processing",
        tlsCA: String? = nil, tlsCert: String? = nil, tlsKey: String? = nil, apiKey: String? = nil,
        uiURL: String = "http://localhost:8088"
    ) {
        self.hostPort = hostPort
        self.namespace = namespace
        self.taskQueue = taskQueue
        self.tlsCA = tlsCA
        self.tlsCert = tlsCert
        self.tlsKey = tlsKey
        self.apiKey = apiKey
        self.uiURL = uiURL
    }

    /// TLS is on as soon as any TLS file or an API key is configured.
    public var usesTLS: Bool { tlsCA != nil || tlsCert != nil || tlsKey != nil || apiKey != nil }
}
