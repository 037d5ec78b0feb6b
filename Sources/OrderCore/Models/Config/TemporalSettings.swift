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

    init(reading env: EnvironmentReader) throws(ConfigError) {
        let defaults = TemporalSettings()
        let hostPort = env.string("TEMPORAL_HOST_PORT", default: defaults.hostPort)
        guard Self.isHostPort(hostPort) else {
            throw .invalidValue(
                variable: "TEMPORAL_HOST_PORT", value: hostPort, expected: "host:port, e.g. localhost:7233")
        }
        let tlsCert = env.string("TEMPORAL_TLS_CERT")
        let tlsKey = env.string("TEMPORAL_TLS_KEY")
        if (tlsCert == nil) != (tlsKey == nil) {
            let missing = tlsCert == nil ? "TEMPORAL_TLS_CERT" : "TEMPORAL_TLS_KEY"
            throw .invalidValue(
                variable: missing, value: "",
                expected: "a PEM file path (TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together)")
        }
        var uiURL = env.string("TEMPORAL_UI_URL", default: defaults.uiURL)
        guard uiURL.hasPrefix("http://") || uiURL.hasPrefix("https://") else {
            throw .invalidValue(variable: "TEMPORAL_UI_URL", value: uiURL, expected: "an http:// or https:// URL")
        }
        while uiURL.hasSuffix("/") { uiURL.removeLast() }
        self.init(
            hostPort: hostPort,
            namespace: env.string("TEMPORAL_NAMESPACE", default: defaults.namespace),
            taskQueue: env.string("TEMPORAL_TASK_QUEUE", default: defaults.taskQueue),
            tlsCA: env.string("TEMPORAL_TLS_CA"), tlsCert: tlsCert, tlsKey: tlsKey,
            apiKey: env.string("TEMPORAL_API_KEY"), uiURL: uiURL)
    }

    /// `host:port` with a non-empty host (IPv6 in brackets works: the port is after the last colon).
    private static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":") else { return false }
        let host = text[..<colon]
        guard let port = Int(text[text.index(after: colon)...]) else { return false }
        return !host.isEmpty && (1...65535).contains(port)
    }
}
