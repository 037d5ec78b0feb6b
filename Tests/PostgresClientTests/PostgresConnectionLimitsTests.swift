import Foundation
import Logging
import Testing

@testable import PostgresClient

#if canImport(Glibc)
    import Glibc
#endif

extension PostgresServerIntegration {
    /// The bounds every connection carries (`PostgresConfiguration.Limits`), checked where they take effect: the
    /// server's session settings, the kernel's socket options, and a backend frozen with SIGSTOP.
    @Suite("PostgreSQL connection limits", .serialized)
    struct PostgresConnectionLimitsTests {
        static func configuration(_ limits: PostgresConfiguration.Limits) -> PostgresConfiguration {
            var configuration = TestPostgres.configuration
            configuration.limits = limits
            return configuration
        }

        @Test("statement and lock timeouts are session settings; keepalives and tcp_user_timeout are on the socket")
        func everyConnectionCarriesTheLimits() async throws {
            let limits = PostgresConfiguration.Limits(
                statementTimeout: .milliseconds(4321), lockTimeout: .milliseconds(1234), keepalivesIdleSeconds: 11,
                keepalivesIntervalSeconds: 4, keepalivesCount: 6, tcpUserTimeout: .milliseconds(9876))
            let pool = try await TestPostgres.pool(maxConnections: 1, configuration: Self.configuration(limits))
            defer { Task { await pool.close() } }
            let row = try #require(
                try await pool.query(
                    "SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt"
                ).first)
            #expect(try row.string("st") == "4321ms")
            #expect(try row.string("lt") == "1234ms")

            let worker = ConnectionWorker(
                index: 0, configuration: Self.configuration(limits), logger: TestPostgres.logger)
            let options = try await worker.perform { connection -> [Int32] in
                try connection.ensureOpen()
                return [TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, Self.tcpUserTimeoutOption].map { option in
                    var value: Int32 = -1
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    _ = getsockopt(connection.socket, Int32(IPPROTO_TCP), option, &value, &length)
                    return value
                }
            }
            await worker.stop()
            #expect(options == [11, 4, 6, 9876])
        }

        /// `TCP_USER_TIMEOUT` of <netinet/tcp.h> (Linux).
        static let tcpUserTimeoutOption: Int32 = 18

        @Test("a frozen backend fails the statement within the bound; the next statement gets a fresh backend")
        func frozenBackendIsBoundedAndReplaced() async throws {
            let limits = PostgresConfiguration.Limits(statementTimeout: .seconds(1))
            let bound = try #require(limits.answerTimeout)
            let pool = try await TestPostgres.pool(maxConnections: 1, configuration: Self.configuration(limits))
            let admin = try await TestPostgres.pool(maxConnections: 1)
            defer {
                Task {
                    await pool.close()
                    await admin.close()
                }
            }
            let frozen = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            try BackendSignal.send(SIGSTOP, to: frozen)
            defer { try? BackendSignal.send(SIGCONT, to: frozen) }

            let clock = ContinuousClock()
            let started = clock.now
            do {
                try await pool.query("SELECT 1")
                Issue.record("a frozen backend answered")
            } catch let error as PostgresError {
                #expect(error.kind == .connection)
                #expect(error.isTransient)
                #expect(error.message.contains("did not answer"), "\(error)")
            }
            let waited = clock.now - started
            #expect(waited >= bound - .milliseconds(100), "gave up after \(waited), before the bound \(bound)")
            #expect(waited < bound + .seconds(2), "gave up only after \(waited) (bound \(bound))")

            // Still frozen: the pool's next statement runs on a fresh backend.
            let replacement = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.int("pid"))
            #expect(replacement != frozen)

            // Thawed, the old backend finds its client gone and exits.
            try BackendSignal.send(SIGCONT, to: frozen)
            let deadline = clock.now + .seconds(10)
            while clock.now < deadline {
                let alive = try await admin.query(
                    "SELECT count(*) AS count FROM pg_stat_activity WHERE pid = $1", [.int(frozen)]
                ).first?.int("count")
                if alive == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                try await admin.query("SELECT count(*) AS count FROM pg_stat_activity WHERE pid = $1", [.int(frozen)])
                    .first?.int("count") == 0)
            try await pool.ping()
        }
    }
}

/// Signals a PostgreSQL backend process of the local server (the tests run as root or as the server's user).
enum BackendSignal {
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    static func send(_ signal: Int32, to pid: Int) throws {
        guard kill(pid_t(pid), signal) == 0 else {
            throw Failed(
                description: "cannot signal PostgreSQL backend \(pid): \(String(cString: strerror(errno))); "
                    + "the test must run on the same host as the server, as root or its user")
        }
    }
}
