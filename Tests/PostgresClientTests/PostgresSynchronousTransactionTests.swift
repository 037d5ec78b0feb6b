import Foundation
import Testing

@testable import PostgresClient

extension PostgresServerIntegration {
    @Suite("PostgresPool.withSynchronousTransaction against the real database", .serialized)
    struct PostgresSynchronousTransactionTests {
        @Test("a thrown error or a failing statement rolls back; a successful body commits")
        func rollsBackOrCommits() async throws {
            let pool = try await TestPostgres.scratchPool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let rolledBack = TestPostgres.uniqueId("TEST-P")
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await pool.withSynchronousTransaction { transaction in
                    try transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                        [.string(rolledBack)])
                    throw Boom()
                }
            }
            await #expect(throws: PostgresError.self) {
                try await pool.withSynchronousTransaction { transaction in
                    try transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                        [.string(rolledBack)])
                    try transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, -1)",
                        [.string(rolledBack + "-neg")])
                }
            }
            #expect(
                try await TestPostgres.count(
                    pool, "SELECT count(*) AS count FROM postgres_client_items WHERE id = $1", [.string(rolledBack)])
                    == 0)

            let committed = TestPostgres.uniqueId("TEST-P")
            let inserted = try await pool.withSynchronousTransaction { transaction in
                try transaction.execute(
                    "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, 1)",
                    [.string(committed)])
            }
            #expect(inserted == 1)
            #expect(
                try await TestPostgres.count(
                    pool, "SELECT count(*) AS count FROM postgres_client_items WHERE id = $1", [.string(committed)])
                    == 1)
        }

        @Test("every statement of the body runs in the same transaction, on one connection")
        func statementsShareOneTransaction() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 2)
            defer { Task { await pool.close() } }
            let ids = try await pool.withSynchronousTransaction { transaction in
                try ["first", "second"].map { _ in
                    try transaction.query("SELECT txid_current()::text AS id, pg_backend_pid() AS pid")[0]
                }
            }
            #expect(try ids[0].string("id") == ids[1].string("id"))
            #expect(try ids[0].int("pid") == ids[1].int("pid"))
        }

        @Test("a first statement that fails beside BEGIN throws its own error and keeps the connection")
        func failingFirstStatementKeepsTheConnection() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let backend = try await pool.withSynchronousTransaction { transaction in
                try transaction.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            }
            let id = TestPostgres.uniqueId("TEST-P")
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withSynchronousTransaction { transaction in
                    try transaction.execute(
                        "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, -1)",
                        [.string(id)])
                }
            }
            #expect(error?.sqlState == "23514")  // the stock check, not a pipeline failure
            // Same backend, out of the failed transaction: the next statement runs and sees no row.
            let after = try await pool.withSynchronousTransaction { transaction in
                try transaction.query(
                    "SELECT pg_backend_pid() AS pid, count(*) AS count FROM postgres_client_items WHERE id = $1",
                    [.string(id)])[0]
            }
            #expect(try after.int("pid") == backend)
            #expect(try after.int("count") == 0)
        }

        @Test("executeAndCommit commits with its statement; nothing runs after it")
        func executeAndCommitEndsTheTransaction() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let insert = "INSERT INTO postgres_client_items (id, name, price, stock) VALUES ($1, 'x', 1, $2)"
            let count = "SELECT count(*) AS count FROM postgres_client_items WHERE id = ANY($1)"
            // First and last at once (BEGIN, the statement and COMMIT in one round trip), then after another one.
            let alone = TestPostgres.uniqueId("TEST-P")
            let inserted = try await pool.withSynchronousTransaction { transaction in
                try transaction.executeAndCommit(insert, [.string(alone), .int(1)])
            }
            #expect(inserted == 1)
            let (first, last) = (TestPostgres.uniqueId("TEST-P"), TestPostgres.uniqueId("TEST-P"))
            await #expect(throws: PostgresError.self) {
                try await pool.withSynchronousTransaction { transaction in
                    try transaction.execute(insert, [.string(first), .int(1)])
                    try transaction.executeAndCommit(insert, [.string(last), .int(1)])
                    try transaction.execute(insert, [.string(TestPostgres.uniqueId("TEST-P")), .int(1)])
                }
            }
            #expect(try await TestPostgres.count(pool, count, [.textArray([alone, first, last])]) == 3)

            // A failing last statement commits nothing of the transaction, and the connection serves on.
            let (kept, failing) = (TestPostgres.uniqueId("TEST-P"), TestPostgres.uniqueId("TEST-P"))
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withSynchronousTransaction { transaction in
                    try transaction.execute(insert, [.string(kept), .int(1)])
                    try transaction.executeAndCommit(insert, [.string(failing), .int(-1)])
                }
            }
            #expect(error?.sqlState == "23514")
            #expect(try await TestPostgres.count(pool, count, [.textArray([kept, failing])]) == 0)
        }

        @Test("after the server ends the idle connection, the next transaction runs on a fresh one")
        func survivesTerminatedConnection() async throws {
            let pool = try await TestPostgres.pool(maxConnections: 1)
            let admin = try await TestPostgres.pool(maxConnections: 1)
            defer {
                Task {
                    await pool.close()
                    await admin.close()
                }
            }
            let backend = try await pool.withSynchronousTransaction { transaction in
                try transaction.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            }
            try await admin.query("SELECT pg_terminate_backend($1)", [.int(backend)])
            // The terminated backend's goodbye may take a moment to reach the socket.
            try await Task.sleep(for: .milliseconds(200))
            let next = try await pool.withSynchronousTransaction { transaction in
                try transaction.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
            }
            #expect(next != backend)
        }
    }
}
