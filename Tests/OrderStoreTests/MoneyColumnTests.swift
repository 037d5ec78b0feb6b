import Foundation
import PostgresClient
import Testing

@testable import OrderCore
@testable import OrderStore

extension PostgresIntegration {
    /// `PostgresRow.money` and `PostgresBind.money`: amounts cross the driver as exact decimal text.
    @Suite("Money columns")
    struct MoneyColumnTests {
        @Test("NUMERIC to Money exactly, NULL as nil, Money back as a parameter")
        func moneyRoundTrips() async throws {
            let pool = try await TestDatabase.pool(maxConnections: 1)
            defer { Task { await pool.close() } }
            let row = try #require(
                try await pool.query(
                    """
                    SELECT 1299.99::numeric(12,2) AS price, 0.10::numeric(12,2) AS dime, NULL::numeric AS nothing,
                           $1::numeric(12,2) + 0.01 AS sent
                    """, [.money(Money(cents: 99))]
                ).first)
            #expect(try row.money("price") == Money(cents: 129_999))
            #expect(try row.money("dime") == Money(cents: 10))
            #expect(try row.optionalMoney("nothing") == nil)
            #expect(try row.money("sent") == Money(cents: 100))
            #expect(throws: PostgresError.self) { try row.money("nothing") }
        }

        @Test("the driver's limits are OrderFlow's, field by field")
        func configurationCarriesTheSettings() {
            var settings = PostgresSettings(host: "db", port: 5433, user: "u", password: "p", database: "d")
            settings.limits = PostgresConnectionLimits(
                statementTimeout: .milliseconds(1), lockTimeout: .milliseconds(2), acquireTimeout: .milliseconds(3),
                connectTimeoutSeconds: 4, keepalivesIdleSeconds: 5, keepalivesIntervalSeconds: 6, keepalivesCount: 7,
                tcpUserTimeout: .milliseconds(8))
            let configuration = PostgresConfiguration(settings)
            #expect(
                configuration
                    == PostgresConfiguration(
                        host: "db", port: 5433, user: "u", password: "p", database: "d", applicationName: "orderflow",
                        limits: PostgresConfiguration.Limits(
                            statementTimeout: .milliseconds(1), lockTimeout: .milliseconds(2),
                            acquireTimeout: .milliseconds(3), connectTimeoutSeconds: 4, keepalivesIdleSeconds: 5,
                            keepalivesIntervalSeconds: 6, keepalivesCount: 7, tcpUserTimeout: .milliseconds(8))))
            // The defaults agree, so the driver used on its own behaves as OrderFlow does.
            #expect(PostgresConfiguration(PostgresSettings()).limits == PostgresConfiguration.Limits())
        }
    }
}
