import ArgumentParser
import Logging
import OrderCore
import OrderStore
import PostgresClient

/// `order-worker migrate`: applies the pending database migrations and prints what it applied.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending PostgreSQL migrations (recorded in schema_migrations).",
        discussion: CommonOptions.settingsHelp
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try options.loadConfig()
        LoggingSetup.bootstrap(level: config.logLevel)
        let logger = LoggingSetup.logger("order-worker.migrate", level: config.logLevel)
        let target =
            "\(config.postgres.user)@\(config.postgres.host):\(config.postgres.port)/\(config.postgres.database)"
        print("order-worker migrate: postgres=\(target)")

        let pool = PostgresPool(settings: config.postgres, maxConnections: 1, logger: logger)
        do {
            try await DependencyWait(name: "PostgreSQL", target: target, timeout: options.startupWait, logger: logger)
                .wait { try await pool.ping() }
            let migrator = try Migrator(pool: pool, logger: logger)
            let applied = try await migrator.migrate()
            let versions = try await migrator.appliedVersions()
            if applied.isEmpty {
                print("schema up to date: nothing to apply (\(versions.count) migrations recorded)")
            } else {
                for name in applied { print("applied \(name)") }
                print("applied \(applied.count) migration(s); \(versions.count) recorded")
            }
            await pool.close()
        } catch let error as DependencyUnreachable {
            await pool.close()
            StandardError.print("order-worker migrate: \(error)")
            throw ExitCode.failure
        } catch {
            await pool.close()
            StandardError.print("order-worker migrate failed: \(error)")
            throw ExitCode.failure
        }
    }
}
