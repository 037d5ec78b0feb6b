import Foundation
import Logging
import OrderCore
import OrderStore
import PostgresClient
import Testing

/// The real PostgreSQL (settings from the environment, defaults of docs/configuration.md), with
/// helpers that create fresh, test-owned products so stock assertions are exact.
enum WorkerTestDatabase {
    static var settings: PostgresSettings {
        (try? OrderFlowConfig().postgres) ?? PostgresSettings()
    }

    static var logger: Logger {
        var logger = Logger(label: "orderflow.worker.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A migrated pool; fails with a clear message when PostgreSQL is down. Its acquire timeout is long (the
    /// product's 2 s is for a loaded worker shedding work): tests that queue more callers than connections run
    /// beside every other suite on a busy CI machine, where a connection may well take seconds to come free.
    static func pool(maxConnections: Int = 8) async throws -> PostgresPool {
        let pool = PostgresPool(
            settings: settings, maxConnections: maxConnections, acquireTimeout: .seconds(20), logger: logger)
        do {
            try await pool.ping()
        } catch {
            await pool.close()
            throw ServiceUnreachable(
                "PostgreSQL at \(settings.host):\(settings.port)/\(settings.database) is not reachable "
                    + "(start it with `bash scripts/services.sh up`): \(error)")
        }
        try await Migrator(pool: pool, logger: logger).migrate()
        return pool
    }

    static func uniqueId(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(13).lowercased())"
    }

    /// A catalog product only this test uses.
    static func makeProduct(_ pool: PostgresPool, price: String = "10.00", stock: Int) async throws -> String {
        let id = uniqueId("WTEST-P")
        try await pool.execute(
            "INSERT INTO products (id, name, price, stock) VALUES ($1, $2, $3, $4)",
            [.string(id), .string("Worker test product \(id)"), .string(price), .int(stock)])
        return id
    }

    static func stock(_ pool: PostgresPool, _ productId: String) async throws -> Int {
        let rows = try await pool.query("SELECT stock FROM products WHERE id = $1", [.string(productId)])
        return try rows.first?.int("stock") ?? -1
    }

    static func status(_ pool: PostgresPool, _ orderId: String) async throws -> String? {
        try await pool.query("SELECT status FROM orders WHERE id = $1", [.string(orderId)]).first?.string("status")
    }

    static func count(_ pool: PostgresPool, _ table: String, orderId: String) async throws -> Int {
        precondition(["payments", "notifications", "order_items", "inventory_reservations"].contains(table))
        let rows = try await pool.query("SELECT count(*) AS n FROM \(table) WHERE order_id = $1", [.string(orderId)])
        return try rows.first?.int("n") ?? 0
    }

    /// An order input for `productId` (the input's price is deliberately wrong: the catalog decides).
    static func input(orderId: String, productId: String, quantity: Int) -> OrderInput {
        OrderInput(
            orderId: orderId, customerId: "cust-worker-test",
            items: [
                OrderItem(productId: productId, productName: "whatever", quantity: quantity, unitPrice: Money(cents: 1))
            ])
    }
}

/// A service the integration tests need is down.
struct ServiceUnreachable: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
