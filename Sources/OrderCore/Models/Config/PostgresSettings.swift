/// Where the PostgreSQL database is, how to log in, and how each process bounds its connections.
public struct PostgresSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    /// `POSTGRES_POOL_SIZE`: connections per process. Nil lets each process size its pool to its work
    /// (the worker to its activity slots, the API to its request concurrency).
    public var poolSize: Int?
    public var limits: PostgresConnectionLimits

    public init(
        host: String = "localhost", port: Int = 5432, user: String = "orderflow",
        password: String = "orderflow123", database: String = "orderflow", poolSize: Int? = nil,
        limits: PostgresConnectionLimits = PostgresConnectionLimits()
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.limits = limits
    }

    /// The pool size to use: `POSTGRES_POOL_SIZE` when set, else `work` (what the process can have in flight).
    public func poolSize(default work: Int) -> Int {
        poolSize ?? max(1, work)
    }
}
