import OrderCore
import RedisClient

extension RedisEndpoint {
    /// The driver's endpoint from OrderFlow's `REDIS_URL` settings.
    public init(_ settings: RedisSettings) {
        self.init(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database)
    }
}
