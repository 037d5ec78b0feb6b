import Foundation
import Logging
import PostgresClient
import Testing

@testable import OrderCore
@testable import OrderStore

/// Parent of every suite of the order store against the shared PostgreSQL server, so they never run at the same
/// time.
@Suite("PostgreSQL integration", .serialized)
struct PostgresIntegration {}

/// Shared helpers of the order store's integration suites (Migration*, OrderStore*). They talk to the real
/// database (settings from the environment, defaults of docs/configuration.md).
enum TestDatabase {
    static var settings: PostgresSettings {
        (try? OrderFlowConfig().postgres) ?? PostgresSettings()
    }

    static var logger: Logger {
        var logger = Logger(label: "orderflow.store.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A fresh pool that has answered a ping; fails with a clear message when PostgreSQL is down.
    static func pool(
        maxConnections: Int = 8, acquireTimeout: Duration = .seconds(20),
        settings: PostgresSettings = settings
    ) async throws -> PostgresPool {
        let pool = PostgresPool(
            settings: settings, maxConnections: maxConnections,
            acquireTimeout: acquireTimeout, logger: logger)
        do {
            try await pool.ping()
        } catch {
            await pool.close()
            throw Unreachable(
                message: "PostgreSQL at \(settings.host):\(settings.port) db \(settings.database) is not reachable "
                    + "(start it with `make services-up`): \(error)")
        }
        return pool
    }

    /// A pool on a migrated database.
    static func migratedPool(maxConnections: Int = 8) async throws -> PostgresPool {
        let pool = try await pool(maxConnections: maxConnections)
        try await Migrator(pool: pool, logger: logger).migrate()
        return pool
    }

    static func uniqueId(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(13).lowercased())"
    }

    /// Inserts a catalog product only this test uses.
    static func makeProduct(_ pool: PostgresPool, price: String = "10.00", stock: Int, name: String = "Test product")
        async throws -> String
    {
        let id = uniqueId("TEST-P")
        try await pool.execute(
            "INSERT INTO products (id, name, price, stock) VALUES ($1, $2, $3, $4)",
            [.string(id), .string(name), .string(price), .int(stock)])
        return id
    }

    static func stock(_ pool: PostgresPool, _ productId: String) async throws -> Int {
        guard let row = try await pool.query("SELECT stock FROM products WHERE id = $1", [.string(productId)]).first
        else {
            throw Unreachable(message: "product \(productId) vanished")
        }
        return try row.int("stock")
    }

    static func count(_ pool: PostgresPool, _ sql: String, _ params: [PostgresBind]) async throws -> Int {
        try await pool.query(sql, params).first?.int("count") ?? -1
    }

    struct Unreachable: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

extension Array {
    /// Awaits every task, in order.
    func asyncValues<T: Sendable>() async throws -> [T] where Element == Task<T, any Error> {
        var values: [T] = []
        for task in self { values.append(try await task.value) }
        return values
    }
}
