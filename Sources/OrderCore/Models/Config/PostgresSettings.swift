/// Where the PostgreSQL database is and how to log in.
public struct PostgresSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String

    public init(
        host: String = "localhost", port: Int = 5432, user: String = "orderflow",
        password: String = "orderflow123", database: String = "orderflow"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    init(reading env: EnvironmentReader) throws(ConfigError) {
        let defaults = PostgresSettings()
        self.init(
            host: env.string("POSTGRES_HOST", default: defaults.host),
            port: try env.port("POSTGRES_PORT", default: defaults.port),
            user: env.string("POSTGRES_USER", default: defaults.user),
            password: env.string("POSTGRES_PASSWORD", default: defaults.password),
            database: env.string("POSTGRES_DB", default: defaults.database))
    }
}
