import Foundation
import PostgresClient
import Testing

@testable import OrderCore
@testable import OrderStore

extension PostgresIntegration {
    @Suite("Migrations", .serialized)
    struct MigrationTests {
        @Test("the bundled migrations load in version order")
        func bundledMigrationsLoad() throws {
            let migrations = try Migration.load()
            #expect(migrations.count >= 2)
            #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
            #expect(Set(migrations.map(\.version)).count == migrations.count)
            #expect(migrations.first?.name == "0001_initial_schema")
            #expect(migrations.allSatisfy { !$0.sql.isEmpty })
        }

        @Test("migrating twice leaves one set of migrations and of sample products")
        func migratingTwiceIsIdempotent() async throws {
            let pool = try await TestDatabase.pool(maxConnections: 2)
            defer { Task { await pool.close() } }
            let migrator = try Migrator(pool: pool, logger: TestDatabase.logger)
            try await migrator.migrate()
            let again = try await migrator.migrate()
            #expect(again.isEmpty)

            let bundled = try Migration.load()
            let recorded = try await pool.query("SELECT version, name FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.int("version") } == bundled.map(\.version))
            #expect(try recorded.map { try $0.string("name") } == bundled.map(\.name))
            #expect(try await migrator.appliedVersions() == bundled.map(\.version))

            let samples = try await OrderStore(pool: pool).products().filter { $0.id.hasPrefix("PROD-00") }
            #expect(samples.map(\.id) == ["PROD-001", "PROD-002", "PROD-003", "PROD-004", "PROD-005"])
            #expect(
                samples.map(\.name) == [
                    "Laptop Dell XPS 13", "iPhone 15 Pro", "Samsung 4K TV", "Wireless Headphones", "Gaming Mouse",
                ])
            #expect(samples.map(\.price) == [129_999, 99_999, 79_999, 29_999, 8_999].map { Money(cents: $0) })
        }

        @Test("migrators running at the same time on an empty database apply each migration once")
        func concurrentMigratorsOnFreshDatabase() async throws {
            // CREATE DATABASE may take longer than an application statement may (POSTGRES_STATEMENT_TIMEOUT_MS).
            var adminSettings = TestDatabase.settings
            adminSettings.limits.statementTimeout = .zero
            let admin = try await TestDatabase.pool(maxConnections: 1, settings: adminSettings)
            // Identifiers cannot be parameters; this name is built from hex digits only.
            let database =
                "orderflow_migtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try await admin.execute("CREATE DATABASE \(database)")
            do {
                let settings = PostgresSettings(
                    host: TestDatabase.settings.host, port: TestDatabase.settings.port,
                    user: TestDatabase.settings.user,
                    password: TestDatabase.settings.password, database: String(database))
                let pools = try await (0..<3).map { _ in
                    Task { try await TestDatabase.pool(maxConnections: 1, settings: settings) }
                }.asyncValues()
                let applied = try await pools.map { pool in
                    Task { try await Migrator(pool: pool, logger: TestDatabase.logger).migrate() }
                }.asyncValues()
                let bundled = try Migration.load().map(\.name)
                // Every migration applied by exactly one of the migrators.
                #expect(applied.flatMap { $0 }.sorted() == bundled.sorted())
                let recorded = try await TestDatabase.count(
                    pools[0], "SELECT count(*) AS count FROM schema_migrations", [])
                #expect(recorded == bundled.count)
                let products = try await TestDatabase.count(pools[0], "SELECT count(*) AS count FROM products", [])
                #expect(products == 5)
                for pool in pools { await pool.close() }
            } catch {
                _ = try? await admin.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
                await admin.close()
                throw error
            }
            try await admin.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            await admin.close()
        }

        @Test("migrations run without the statement timeout")
        func migrationsLiftTheTimeouts() async throws {
            var settings = TestDatabase.settings
            settings.limits = PostgresConnectionLimits(statementTimeout: .milliseconds(200))
            let pool = try await TestDatabase.pool(maxConnections: 1, settings: settings)
            defer { Task { await pool.close() } }
            let slow = Migration(
                version: 1, name: "0001_slow", sql: "SELECT pg_sleep(0.6); SELECT current_setting('lock_timeout');")
            let table = "schema_migrations"
            // A private schema keeps this migration history apart from the real one.
            let schema = "limits_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE SCHEMA \(schema)")
            try await pool.execute("SET search_path TO \(schema)")
            _ = try await Migrator(pool: pool, migrations: [slow], logger: TestDatabase.logger).migrate()
            #expect(try await pool.query("SELECT count(*) AS count FROM \(schema).\(table)").first?.int("count") == 1)
            // Outside the migration the bound holds again.
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(0.6)") }
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }
}
