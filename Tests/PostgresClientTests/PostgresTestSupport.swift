import Foundation
import Logging
import Testing

@testable import PostgresClient

/// Parent of every suite of the PostgreSQL client against the shared server, so they never run at the
/// same time (one of them restarts the server). Filter: `PostgresServerIntegration`.
@Suite("PostgreSQL client integration", .serialized)
struct PostgresServerIntegration {}

/// Shared helpers of the PostgreSQL client's integration suites. They talk to the real server of
/// `make services-up`, found through the same `POSTGRES_*` variables as the services (with their defaults).
enum TestPostgres {
    static var configuration: PostgresConfiguration {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String, _ fallback: String) -> String {
            environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        }
        return PostgresConfiguration(
            host: value("POSTGRES_HOST", "localhost"), port: Int(value("POSTGRES_PORT", "5432")) ?? 5432,
            user: value("POSTGRES_USER", "orderflow"), password: value("POSTGRES_PASSWORD", "orderflow123"),
            database: value("POSTGRES_DB", "orderflow"), applicationName: "postgres-client-tests")
    }

    static var logger: Logger {
        var logger = Logger(label: "postgres-client.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A fresh pool that has answered a ping; fails with a clear message when PostgreSQL is down.
    static func pool(
        maxConnections: Int = 8, acquireTimeout: Duration = .seconds(20),
        configuration: PostgresConfiguration = configuration
    ) async throws -> PostgresPool {
        let pool = PostgresPool(
            configuration: configuration, maxConnections: maxConnections, acquireTimeout: acquireTimeout,
            logger: logger)
        do {
            try await pool.ping()
        } catch {
            await pool.close()
            throw Unreachable(
                message: "PostgreSQL at \(configuration.host):\(configuration.port) db \(configuration.database) "
                    + "is not reachable (start it with `make services-up`): \(error)")
        }
        return pool
    }

    /// The table the transaction tests write to, made when missing: the client's tests need no schema of
    /// anyone's. The CHECK gives them a statement that fails on the server.
    static let scratchTable = "postgres_client_items"

    /// A pool on a database that has `scratchTable`.
    static func scratchPool(maxConnections: Int = 8) async throws -> PostgresPool {
        let pool = try await pool(maxConnections: maxConnections)
        try await pool.execute(
            """
            CREATE TABLE IF NOT EXISTS \(scratchTable) (
                id    TEXT PRIMARY KEY,
                name  TEXT NOT NULL,
                price NUMERIC(12, 2) NOT NULL,
                stock INTEGER NOT NULL CHECK (stock >= 0)
            )
            """)
        return pool
    }

    static func uniqueId(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(13).lowercased())"
    }

    static func count(_ pool: PostgresPool, _ sql: String, _ params: [PostgresBind]) async throws -> Int {
        try await pool.query(sql, params).first?.int("count") ?? -1
    }

    /// The repository root, for scripts/services.sh.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Unreachable: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
