import Logging
import PostgresClient

/// Applies the pending migrations, each in its own transaction, and records them in
/// `schema_migrations(version, name, applied_at)`. Every transaction first takes a transaction-level
/// advisory lock, so processes migrating at the same time (several workers starting together)
/// apply each migration exactly once.
public struct Migrator: Sendable {
    /// Key of `pg_advisory_xact_lock`, fixed for this application ("orderflow" in ASCII).
    static let advisoryLockKey: Int64 = 0x6F72_6465_7266_6C6F

    private let pool: PostgresPool
    private let migrations: [Migration]
    private let logger: Logger

    public init(pool: PostgresPool, migrations: [Migration], logger: Logger) {
        self.pool = pool
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Uses the migrations bundled with OrderCore.
    public init(pool: PostgresPool, logger: Logger) throws {
        self.init(pool: pool, migrations: try Migration.load(), logger: logger)
    }

    /// Applies what is pending; returns the names of the migrations applied by this call.
    @discardableResult
    public func migrate() async throws -> [String] {
        var applied: [String] = []
        for migration in migrations {
            let didApply = try await pool.withTransaction { transaction in
                // A schema change takes what it takes, and a second migrator waits for the first one's lock.
                try await transaction.liftTimeouts()
                try await transaction.query("SELECT pg_advisory_xact_lock($1::bigint)", [.int64(Self.advisoryLockKey)])
                try await transaction.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    INTEGER PRIMARY KEY,
                        name       TEXT NOT NULL,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                    )
                    """)
                let existing = try await transaction.query(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", [.int(migration.version)])
                guard existing.isEmpty else { return false }
                try await transaction.executeScript(migration.sql)
                try await transaction.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [.int(migration.version), .string(migration.name)])
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                applied.append(migration.name)
            }
        }
        return applied
    }

    /// Versions recorded in `schema_migrations` (empty when nothing was ever applied).
    public func appliedVersions() async throws -> [Int] {
        let table = try await pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try table.first?.bool("present") == true else { return [] }
        return try await pool.query("SELECT version FROM schema_migrations ORDER BY version").map {
            try $0.int("version")
        }
    }
}
