import Foundation
import TestSupport
import Testing

@testable import PostgresClient

extension PostgresServerIntegration {
    @Suite("PostgresPool against the real database", .serialized)
    struct PostgresPoolTests {
        @Test("parameters travel verbatim, including SQL-looking and odd text")
        func hostileParametersRoundTrip() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 2)
            defer { Task { await pool.close() } }
            let samples = [
                "'; DROP TABLE orders; --", "Robert'); DROP TABLE students;--", "back\\slash \"quoted\"",
                "$1 $2 ?", "ünïcødé ✓ 🚀", "", "line\nbreak\ttab",
            ]
            for sample in samples {
                let rows = try await pool.query(
                    "SELECT $1::text AS value, length($1::text) AS length", [.string(sample)])
                #expect(try rows.first?.string("value") == sample)
                #expect(try rows.first?.int("length") == sample.count)
            }
            let arrays = try await pool.query(
                "SELECT array_length($1::text[], 1) AS n, ($1::text[])[2] AS second",
                [.textArray(["a,b", "\"}{\\", "NULL"])])
            #expect(try arrays.first?.int("n") == 3)
            #expect(try arrays.first?.string("second") == "\"}{\\")
            let null = try await pool.query("SELECT $1::text IS NULL AS isnull", [.null])
            #expect(try null.first?.bool("isnull") == true)
        }

        @Test("several parameters of one statement keep their places: NULL, empty, non-ASCII and long text")
        func mixedParametersKeepTheirPlaces() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let long = String(repeating: "ß0", count: 20_000)
            let row = try #require(
                try await pool.query(
                    "SELECT $1::text AS a, $2::text IS NULL AS b_null, $3::text AS c, $4::text AS d, $5::text AS e",
                    [.string("first"), .null, .string(""), .string(long), .string("✓ last")]
                ).first)
            #expect(try row.string("a") == "first")
            #expect(try row.bool("b_null") == true)
            #expect(try row.string("c") == "")
            #expect(try row.string("d") == long)
            #expect(try row.string("e") == "✓ last")
        }

        @Test("a parameter holding a NUL character is refused before anything is sent, naming the parameter")
        func nulCharacterIsRefused() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let error = try #require(
                await #expect(throws: PostgresError.self) {
                    try await pool.query("SELECT $1::text, $2::text", [.string("fine"), .string("a\u{0}b")])
                })
            #expect(error.sqlState == "22021")
            #expect(error.message.contains("$2"))
            // The connection is still good.
            #expect(try await pool.query("SELECT $1::text AS v", [.string("after")]).first?.string("v") == "after")
        }

        @Test("typed getters: NUMERIC as its exact text, timestamptz to Date, NULLs")
        func typedGetters() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let row = try #require(
                try await pool.query(
                    """
                    SELECT 1299.99::numeric(12,2) AS price, 0.10::numeric(12,2) AS dime, NULL::numeric AS nothing,
                           timestamptz '2025-11-25 21:05:03.123456+00' AS at, 42::bigint AS big
                    """
                ).first)
            #expect(try row.string("price") == "1299.99")
            #expect(try row.string("dime") == "0.10")
            #expect(try row.optionalString("nothing") == nil)
            #expect(row[column: "nothing"] == nil)
            let date = try row.date("at")
            #expect(abs(date.timeIntervalSince1970 - 1_764_104_703.123456) < 0.000_001)
            #expect(try row.int64("big") == 42)
            #expect(throws: PostgresError.self) { try row.string("nothing") }
            #expect(throws: PostgresError.self) { try row.string("no_such_column") }
        }

        @Test("server errors carry SQLSTATE and message")
        func errorsCarrySQLState() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            do {
                try await pool.query("SELECT 1 / $1::int", [.int(0)])
                Issue.record("division by zero succeeded")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22012")
                #expect(error.kind == .query)
                #expect(error.message.contains("division by zero"))
                #expect(!error.isTransient)
            }
            do {
                try await pool.query("SELEC nonsense")
                Issue.record("syntax error accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42601")
            }
            // The connection is still usable after errors.
            try await pool.ping()
        }

        @Test("a failing transaction is rolled back; a successful one commits")
        func transactionRollsBackOnError() async throws {
            let pool = try await TestPostgres.scratchPool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let rolledBack = TestPostgres.uniqueId("TEST-P")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { transaction in
                    try await transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                        [.string(rolledBack)])
                    throw Boom()
                }
            }
            // A server error mid-transaction rolls back too.
            await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { transaction in
                    try await transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                        [.string(rolledBack)])
                    try await transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, -1)",
                        [.string(rolledBack + "-neg")])
                }
            }
            #expect(
                try await TestPostgres.count(
                    pool, "SELECT count(*) AS count FROM postgres_client_items WHERE id = $1",
                    [.string(rolledBack)]) == 0)
            let committed = TestPostgres.uniqueId("TEST-P")
            try await pool.withTransaction { transaction in
                try await transaction.execute(
                    "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                    [.string(committed)])
            }
            #expect(
                try await TestPostgres.count(
                    pool, "SELECT count(*) AS count FROM postgres_client_items WHERE id = $1",
                    [.string(committed)]) == 1)
            // No transaction block is left open on the pooled connection: SAVEPOINT outside one is 25P01.
            do {
                try await pool.execute("SAVEPOINT probe")
                Issue.record("a transaction block was left open")
            } catch let error as PostgresError {
                #expect(error.sqlState == "25P01")
            }
        }

        @Test("waiting for a free connection times out with a pool error")
        func acquireTimesOut() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1, acquireTimeout: .milliseconds(300))
            defer { Task { await pool.close() } }
            let holder = Task { try await pool.query("SELECT pg_sleep(1.5)") }
            try await Task.sleep(for: .milliseconds(200))
            let clock = ContinuousClock()
            let started = clock.now
            do {
                try await pool.ping()
                Issue.record("acquired a connection although the only one was busy")
            } catch let error as PostgresError {
                #expect(error.kind == .poolTimeout)
                #expect(error.isTransient)
            }
            #expect(clock.now - started < .seconds(1))
            _ = try await holder.value
            try await pool.ping()
        }

        @Test("a task waiting for a connection stops waiting when cancelled")
        func acquireIsCancellable() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1, acquireTimeout: .seconds(30))
            defer { Task { await pool.close() } }
            let holder = Task { try await pool.query("SELECT pg_sleep(1.5)") }
            try await Task.sleep(for: .milliseconds(200))
            let clock = ContinuousClock()
            let started = clock.now
            let waiter = Task { try await pool.ping() }
            try await Task.sleep(for: .milliseconds(100))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(clock.now - started < .seconds(1))
            _ = try await holder.value
        }

        @Test("slow queries do not stall Swift's cooperative thread pool")
        func slowQueriesDoNotBlockCooperativePool() async throws {
            let connections = 4
            let pool = try await TestPostgres.pool(maxConnections: connections)
            defer { Task { await pool.close() } }
            let clock = ContinuousClock()
            let started = clock.now
            // More blocking database calls in flight than this machine has cores.
            let sleepers = (0..<connections).map { _ in Task { try await pool.query("SELECT pg_sleep(1.5)") } }
            try await Task.sleep(for: .milliseconds(100))
            // Pure Swift work on the cooperative pool still runs promptly.
            let computed = await Task.detached { () -> Int in
                var total = 0
                for value in 0..<10_000 {
                    total &+= value
                    if value % 1000 == 0 { await Task.yield() }
                }
                return total
            }.value
            let elapsed = clock.now - started
            #expect(computed == 49_995_000)
            #expect(elapsed < .milliseconds(900), "cooperative work took \(elapsed) while queries slept")
            for sleeper in sleepers { _ = try await sleeper.value }
            #expect(clock.now - started >= .milliseconds(1400))
            #expect(clock.now - started < .seconds(3), "the \(connections) sleeps did not run in parallel")
        }

        @Test("a terminated backend is replaced: the next query succeeds on a new connection")
        func reconnectsAfterBackendTermination() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            let admin = try await TestPostgres.pool(maxConnections: 1)
            defer {
                Task {
                    await pool.close(); await admin.close()
                }
            }
            let before = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            let terminated = try await admin.query("SELECT pg_terminate_backend($1::int) AS done", [.int(before)])
            #expect(try terminated.first?.bool("done") == true)
            try await Task.sleep(for: .milliseconds(200))
            let after = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            #expect(after != before)
            // Transactions work again as well.
            let inTransaction = try await pool.withTransaction {
                try await $0.query("SELECT 1 AS one").first?.int("one")
            }
            #expect(inTransaction == 1)
        }

        @Test("statements are prepared once per connection, again after a reconnect and after a table change")
        func preparedStatements() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            let admin = try await TestPostgres.pool(maxConnections: 1)
            defer {
                Task {
                    await pool.close(); await admin.close()
                }
            }
            let sql = "SELECT $1::int + 1 AS n"
            let countPrepared = "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1"
            for value in 1...3 {
                #expect(try await pool.query(sql, [.int(value)]).first?.int("n") == value + 1)
            }
            #expect(try await pool.query(countPrepared, [.string(sql)]).first?.int("n") == 1)

            let pid = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            _ = try await admin.query("SELECT pg_terminate_backend($1::int)", [.int(pid)])
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await pool.query(sql, [.int(41)]).first?.int("n") == 42)
            #expect(try await pool.query(countPrepared, [.string(sql)]).first?.int("n") == 1)

            // A column added under a prepared `SELECT *` changes its result type: the call still answers.
            let table = "prepared_\(UInt32.random(in: 0...UInt32.max))"
            _ = try await admin.execute("CREATE TABLE \(table) (a int)")
            _ = try await admin.execute("INSERT INTO \(table) VALUES (1)")
            let select = "SELECT * FROM \(table) WHERE a = $1"
            #expect(try await pool.query(select, [.int(1)]).count == 1)
            _ = try await admin.execute("ALTER TABLE \(table) ADD COLUMN b int")
            let changed = try await pool.query(select, [.int(1)])
            #expect(changed.count == 1)
            #expect(try changed.first?.optionalInt("b") == nil)
            _ = try await admin.execute("DROP TABLE \(table)")
        }

        @Test("the pool survives a PostgreSQL server restart")
        func survivesServerRestart() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 3)
            defer { Task { await pool.close() } }
            // Open every pooled connection.
            _ = try await (0..<3).map { _ in Task { try await pool.query("SELECT pg_sleep(0.1)") } }.asyncValues()
            let before = try #require(
                try await pool.query("SELECT pg_postmaster_start_time()::text AS started").first?.string("started"))

            try await restartPostgres()

            // Statements right after the restart succeed, on all connections, in and out of transactions.
            let after = try #require(
                try await pool.query("SELECT pg_postmaster_start_time()::text AS started").first?.string("started"))
            #expect(after != before, "the server did not restart")
            let results = try await (0..<6).map { index in
                Task {
                    try await pool.withTransaction {
                        try await $0.query("SELECT $1::int AS n", [.int(index)]).first?.int("n")
                    }
                }
            }.asyncValues()
            #expect(results == (0..<6).map { $0 })
        }

        /// Restarts the project's private cluster through scripts/services.sh (it knows the data
        /// directory, .data/postgres, and runs pg_ctl as the postgres user).
        private func restartPostgres() async throws {
            let script = TestPostgres.repositoryRoot.appendingPathComponent("scripts/services.sh").path
            let result = try await CommandLineTool.run(["/bin/bash", script, "restart-postgres"])
            if result.status != 0 {
                throw TestPostgres.Unreachable(
                    message: "services.sh restart-postgres failed (\(result.status)): \(result.text)\(result.stderr)")
            }
        }
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
