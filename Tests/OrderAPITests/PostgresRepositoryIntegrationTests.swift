import Foundation
import Logging
import OrderCore
import OrderStore
import PostgresClient
import Testing

@testable import OrderAPI

/// `PostgresOrderRepository` against the real PostgreSQL (POSTGRES_* from the environment; the tests use orderflow_test).
@Suite(.serialized) struct PostgresRepositoryIntegrationTests {
    let pool: PostgresPool
    let repository: PostgresOrderRepository

    init() {
        // POSTGRES_DB and friends from the environment (the tests' database), the documented defaults otherwise.
        let settings = (try? OrderFlowConfig().postgres) ?? PostgresSettings()
        pool = PostgresPool(settings: settings, maxConnections: 2, logger: Logger(label: "test.pg"))
        repository = PostgresOrderRepository(store: OrderStore(pool: pool))
    }

    func prepare() async throws {
        do {
            try await repository.ping()
        } catch {
            Issue.record("PostgreSQL is not reachable at localhost:5432 — run `make services-up` (\(error))")
            throw error
        }
        _ = try await Migrator(pool: pool, logger: Logger(label: "test.migrate")).migrate()
    }

    @Test func acceptedOrderIsKnownAsPendingAndListed() async throws {
        try await prepare()
        let id = "it-repo-\(UUID().uuidString.lowercased())"
        #expect(try await repository.recordPendingOrder(orderId: id, customerId: "it-repo"))
        #expect(try await repository.recordPendingOrder(orderId: id, customerId: "it-repo") == false)
        let detail = try #require(try await repository.order(id: id))
        #expect(detail.order.status == .pending)
        #expect(detail.order.workflowId == id)

        let page = try await repository.listOrders(status: .pending, limit: 100, cursor: nil)
        #expect(page.orders.contains { $0.id == id })
        await pool.close()
    }

    @Test func cursorsRoundTripAndGarbageIsRejected() async throws {
        try await prepare()
        for index in 0..<3 {
            _ = try await repository.recordPendingOrder(
                orderId: "it-repo-page-\(UUID().uuidString.prefix(8))-\(index)", customerId: "it-repo")
        }
        let first = try await repository.listOrders(status: nil, limit: 2, cursor: nil)
        #expect(first.orders.count == 2)
        let cursor = try #require(first.nextCursor)
        let second = try await repository.listOrders(status: nil, limit: 2, cursor: cursor)
        #expect(Set(first.orders.map(\.id)).isDisjoint(with: second.orders.map(\.id)))
        await #expect(throws: OrderRepositoryError.invalidCursor) {
            _ = try await repository.listOrders(status: nil, limit: 2, cursor: "not a cursor!")
        }
        await pool.close()
    }

    @Test func catalogHasTheSampleProducts() async throws {
        try await prepare()
        let products = try await repository.products()
        let laptop = try #require(products.first { $0.id == "PROD-001" })
        #expect(laptop.price == Money(cents: 129_999))
        #expect(try await repository.order(id: "it-repo-missing-\(UUID().uuidString)") == nil)
        await pool.close()
    }
}
