/// Where the HTTP API listens.
public struct APISettings: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    init(reading env: EnvironmentReader) throws(ConfigError) {
        let defaults = APISettings()
        self.init(
            host: env.string("API_HOST", default: defaults.host), port: try env.port("API_PORT", default: defaults.port)
        )
    }
}
