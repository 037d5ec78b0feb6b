/// Where a Redis server is and how to log in.
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// ACL user (Redis 6+); nil logs in as `default` with `password` only.
    public var username: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// `host:port/db`, never the credentials.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }
}
