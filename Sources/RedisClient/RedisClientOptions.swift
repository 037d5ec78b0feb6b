/// Timeouts and sizing of a `RedisClient` / `RedisSubscriber`.
public struct RedisClientOptions: Sendable {
    /// How long opening a connection (TCP connect, AUTH, SELECT) may take.
    public var connectTimeout: Duration
    /// How long one command may wait for its reply before the connection is given up.
    public var commandTimeout: Duration
    /// After a failed connect, commands fail at once for this long instead of each waiting
    /// for another connect: a Redis outage then costs callers nothing but an error.
    public var reconnectDelay: Duration
    /// Connections, each on its own thread; commands are spread over them.
    public var connections: Int

    public init(
        connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(2),
        reconnectDelay: Duration = .seconds(1), connections: Int = 2
    ) {
        precondition(connections > 0, "a Redis client needs at least one connection")
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectDelay = reconnectDelay
        self.connections = connections
    }
}
