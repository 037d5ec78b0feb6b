import Foundation
import PostgresClient
import Testing

@testable import OrderCore
@testable import OrderStore

extension PostgresIntegration {
    @Suite("OrderStore against the real database", .serialized)
    struct OrderStoreTests {
        /// A migrated pool and a store over it, closed at the end of each test.
        private func withStore(_ body: (OrderStore, PostgresPool) async throws -> Void) async throws {
            let pool = try await TestDatabase.migratedPool()
            do {
                try await body(OrderStore(pool: pool, logger: TestDatabase.logger), pool)
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
        }

        private func input(_ orderId: String, _ lines: [(String, Int)], customer: String = "cust-1") -> OrderInput {
            OrderInput(
                orderId: orderId, customerId: customer,
                items: lines.map {
                    // Client-side price and name are deliberately wrong: the catalog is authoritative.
                    OrderItem(productId: $0.0, productName: "client name", quantity: $0.1, unitPrice: Money(cents: 1))
                })
        }

        /// An order moved through CreateOrder (status `created`).
        private func createdOrder(_ store: OrderStore, _ lines: [(String, Int)]) async throws -> String {
            let orderId = TestDatabase.uniqueId("ord")
            _ = try await store.createOrder(input(orderId, lines), workflowId: orderId, runId: "run-1")
            return orderId
        }

        private func businessError(_ body: () async throws -> Void) async -> OrderBusinessError? {
            do {
                try await body()
                return nil
            } catch let error as OrderBusinessError {
                return error
            } catch {
                Issue.record("unexpected error \(error)")
                return nil
            }
        }

        // MARK: - CreateOrder

        @Test("createOrder prices from the catalog, merges repeated products, and a retry writes nothing twice")
        func createOrderIsIdempotentAndUsesCatalog() async throws {
            try await withStore { store, pool in
                let laptop = try await TestDatabase.makeProduct(pool, price: "1299.99", stock: 10, name: "Laptop")
                let mouse = try await TestDatabase.makeProduct(pool, price: "89.99", stock: 10, name: "Mouse")
                let orderId = TestDatabase.uniqueId("ord")
                let order = input(orderId, [(laptop, 1), (mouse, 2), (laptop, 1)])

                let total = try await store.createOrder(order, workflowId: orderId, runId: "run-a")
                #expect(total == Money(cents: 2 * 129_999 + 2 * 8_999))
                let retry = try await store.createOrder(order, workflowId: orderId, runId: "run-b")
                #expect(retry == total)

                let detail = try #require(try await store.order(id: orderId))
                #expect(detail.order.status == .created)
                #expect(detail.order.total == total)
                #expect(detail.order.workflowId == orderId)
                #expect(detail.order.runId == "run-a")
                #expect(detail.order.customerId == "cust-1")
                let items = detail.items.sorted { $0.productId < $1.productId }
                let expected = [
                    OrderItem(productId: laptop, productName: "Laptop", quantity: 2, unitPrice: Money(cents: 129_999)),
                    OrderItem(productId: mouse, productName: "Mouse", quantity: 2, unitPrice: Money(cents: 8_999)),
                ]
                .sorted { $0.productId < $1.productId }
                #expect(items == expected)
            }
        }

        @Test("createOrder: unknown product is InvalidProduct and leaves a pending row the workflow can fail")
        func createOrderUnknownProduct() async throws {
            try await withStore { store, pool in
                let known = try await TestDatabase.makeProduct(pool, stock: 5)
                let orderId = TestDatabase.uniqueId("ord")
                let error = await businessError {
                    _ = try await store.createOrder(
                        input(orderId, [(known, 1), ("NO-SUCH-PRODUCT", 1)]), workflowId: orderId, runId: "r")
                }
                #expect(error?.type == .invalidProduct)
                #expect(error?.message.contains("NO-SUCH-PRODUCT") == true)
                let detail = try #require(try await store.order(id: orderId))
                #expect(detail.order.status == .pending)
                #expect(detail.items.isEmpty)

                #expect(
                    try await store.failOrder(orderId: orderId, reason: "InvalidProduct: NO-SUCH-PRODUCT") == .failed)
                let failed = try #require(try await store.orderSummary(id: orderId))
                #expect(failed.status == .failed)
                #expect(failed.failureReason == "InvalidProduct: NO-SUCH-PRODUCT")
            }
        }

        @Test("createOrder: no items or a bad quantity is InvalidOrder")
        func createOrderInvalidInput() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, stock: 5)
                for lines in [[], [(product, 0)], [(product, 1001)], [(product, -3)]] as [[(String, Int)]] {
                    let orderId = TestDatabase.uniqueId("ord")
                    let error = await businessError {
                        _ = try await store.createOrder(input(orderId, lines), workflowId: orderId, runId: "r")
                    }
                    #expect(error?.type == .invalidOrder, "lines \(lines)")
                }
            }
        }

        // MARK: - inventory

        @Test("reserveInventory twice takes stock once; releaseInventory twice gives it back once")
        func reserveAndReleaseAreIdempotent() async throws {
            try await withStore { store, pool in
                let first = try await TestDatabase.makeProduct(pool, stock: 10)
                let second = try await TestDatabase.makeProduct(pool, stock: 10)
                let orderId = try await createdOrder(store, [(first, 3), (second, 4)])

                try await store.reserveInventory(orderId: orderId)
                try await store.reserveInventory(orderId: orderId)
                #expect(try await TestDatabase.stock(pool, first) == 7)
                #expect(try await TestDatabase.stock(pool, second) == 6)
                var detail = try #require(try await store.order(id: orderId))
                #expect(detail.order.status == .inventoryReserved)
                #expect(detail.reservations.map(\.quantity).sorted() == [3, 4])
                #expect(detail.reservations.allSatisfy { $0.releasedAt == nil })

                #expect(try await store.releaseInventory(orderId: orderId) == 2)
                #expect(try await store.releaseInventory(orderId: orderId) == 0)
                #expect(try await TestDatabase.stock(pool, first) == 10)
                #expect(try await TestDatabase.stock(pool, second) == 10)
                detail = try #require(try await store.order(id: orderId))
                #expect(detail.reservations.count == 2)
                #expect(detail.reservations.allSatisfy { $0.releasedAt != nil })
                // A reservation retried after its release does not take the stock again.
                try await store.reserveInventory(orderId: orderId)
                #expect(try await TestDatabase.stock(pool, first) == 10)
            }
        }

        @Test("reservation is all-or-nothing: a short second item leaves the first untouched")
        func reservationIsAllOrNothing() async throws {
            try await withStore { store, pool in
                let plenty = try await TestDatabase.makeProduct(pool, stock: 10)
                let scarce = try await TestDatabase.makeProduct(pool, stock: 1)
                // Product ids sort by creation here only by chance; the rule must hold either way.
                let orderId = try await createdOrder(store, [(plenty, 2), (scarce, 2)])
                let error = await businessError { try await store.reserveInventory(orderId: orderId) }
                #expect(error?.type == .insufficientInventory)
                #expect(error?.message.contains(scarce) == true)
                #expect(try await TestDatabase.stock(pool, plenty) == 10)
                #expect(try await TestDatabase.stock(pool, scarce) == 1)
                let detail = try #require(try await store.order(id: orderId))
                #expect(detail.reservations.isEmpty)
                #expect(detail.order.status == .created)
            }
        }

        @Test("100 concurrent reservations of a product with stock 37: exactly 37 succeed, stock ends 0")
        func concurrentReservations() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, stock: 37)
                var orderIds: [String] = []
                for _ in 0..<100 { orderIds.append(try await createdOrder(store, [(product, 1)])) }

                let outcomes = await withTaskGroup(of: Result<Void, any Error>.self) { group in
                    for orderId in orderIds {
                        group.addTask {
                            do {
                                try await store.reserveInventory(orderId: orderId)
                                return .success(())
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    var outcomes: [Result<Void, any Error>] = []
                    for await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                var succeeded = 0
                var shortOfStock = 0
                for outcome in outcomes {
                    switch outcome {
                    case .success: succeeded += 1
                    case .failure(let error as OrderBusinessError) where error.type == .insufficientInventory:
                        shortOfStock += 1
                    case .failure(let error): Issue.record("unexpected error \(error)")
                    }
                }
                #expect(succeeded == 37)
                #expect(shortOfStock == 63)
                #expect(try await TestDatabase.stock(pool, product) == 0)
                let reserved = try await TestDatabase.count(
                    pool, "SELECT count(*) AS count FROM inventory_reservations WHERE product_id = $1",
                    [.string(product)])
                #expect(reserved == 37)
            }
        }

        // MARK: - payment, notifications, terminal states

        @Test("recordPayment twice keeps the first payment; refund happens once")
        func paymentIsIdempotent() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, price: "25.50", stock: 5)
                let orderId = try await createdOrder(store, [(product, 2)])
                try await store.reserveInventory(orderId: orderId)
                let firstTransaction = TestDatabase.uniqueId("txn")
                let stored = try await store.recordPayment(
                    orderId: orderId, amount: Money(cents: 5100), transactionId: firstTransaction)
                #expect(stored == firstTransaction)
                let again = try await store.recordPayment(
                    orderId: orderId, amount: Money(cents: 5100), transactionId: TestDatabase.uniqueId("txn"))
                #expect(again == firstTransaction)
                #expect(try await store.paymentTransactionId(orderId: orderId) == firstTransaction)
                #expect(
                    try await TestDatabase.count(
                        pool, "SELECT count(*) AS count FROM payments WHERE order_id = $1",
                        [.string(orderId)]) == 1)
                var detail = try #require(try await store.order(id: orderId))
                #expect(detail.order.status == .paymentProcessed)
                #expect(detail.payment?.amount == Money(cents: 5100))
                #expect(detail.payment?.status == "completed")

                #expect(try await store.refundPayment(orderId: orderId) == true)
                #expect(try await store.refundPayment(orderId: orderId) == false)
                detail = try #require(try await store.order(id: orderId))
                #expect(detail.payment?.status == "refunded")
                #expect(detail.payment?.refundedAt != nil)
                #expect(try await store.refundPayment(orderId: TestDatabase.uniqueId("ord")) == false)
            }
        }

        @Test("one notification per (order, kind)")
        func notificationsAreIdempotent() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, stock: 5)
                let orderId = try await createdOrder(store, [(product, 1)])
                #expect(
                    try await store.recordNotification(
                        orderId: orderId, kind: "order_completed", channel: "email", message: "done"))
                #expect(
                    try await store.recordNotification(
                        orderId: orderId, kind: "order_completed", channel: "email", message: "again") == false)
                #expect(
                    try await store.recordNotification(
                        orderId: orderId, kind: "order_failed", channel: "email", message: "other kind"))
                let detail = try #require(try await store.order(id: orderId))
                #expect(detail.notifications.map(\.kind) == ["order_completed", "order_failed"])
                #expect(detail.notifications.first?.message == "done")
            }
        }

        @Test("the happy path ends completed; completing again is a no-op; a completed order never fails or cancels")
        func completedIsFinal() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, stock: 5)
                let orderId = try await createdOrder(store, [(product, 1)])
                try await store.reserveInventory(orderId: orderId)
                _ = try await store.recordPayment(
                    orderId: orderId, amount: Money(cents: 1000), transactionId: TestDatabase.uniqueId("txn"))
                #expect(try await store.completeOrder(orderId: orderId) == .completed)
                #expect(try await store.completeOrder(orderId: orderId) == .completed)
                await #expect(throws: OrderStatusError.illegalTransition(from: .completed, to: .failed)) {
                    try await store.failOrder(orderId: orderId, reason: "late failure")
                }
                await #expect(throws: OrderStatusError.illegalTransition(from: .completed, to: .cancelled)) {
                    try await store.cancelOrder(orderId: orderId, reason: "late cancel")
                }
                let order = try #require(try await store.orderSummary(id: orderId))
                #expect(order.status == .completed)
                #expect(order.failureReason == nil)
                #expect(order.updatedAt >= order.createdAt)
            }
        }

        @Test("illegal transitions are rejected and change nothing")
        func illegalTransitionsRejected() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, stock: 5)
                let orderId = try await createdOrder(store, [(product, 1)])
                // Payment before the stock is reserved.
                await #expect(throws: OrderStatusError.illegalTransition(from: .created, to: .paymentProcessed)) {
                    _ = try await store.recordPayment(
                        orderId: orderId, amount: Money(cents: 1000), transactionId: TestDatabase.uniqueId("txn"))
                }
                // Completion before payment.
                await #expect(throws: OrderStatusError.illegalTransition(from: .created, to: .completed)) {
                    try await store.completeOrder(orderId: orderId)
                }
                #expect(try await store.paymentTransactionId(orderId: orderId) == nil)
                // Cancel twice: the first reason stays; afterwards no reservation is possible.
                #expect(try await store.cancelOrder(orderId: orderId, reason: "customer changed mind") == .cancelled)
                #expect(try await store.cancelOrder(orderId: orderId, reason: "second reason") == .cancelled)
                await #expect(throws: OrderStatusError.illegalTransition(from: .cancelled, to: .inventoryReserved)) {
                    try await store.reserveInventory(orderId: orderId)
                }
                #expect(try await TestDatabase.stock(pool, product) == 5)
                let order = try #require(try await store.orderSummary(id: orderId))
                #expect(order.status == .cancelled)
                #expect(order.failureReason == "customer changed mind")
                // Unknown orders: business error for steps, no-op for terminal marks.
                let unknown = TestDatabase.uniqueId("ord")
                #expect(
                    await businessError { try await store.reserveInventory(orderId: unknown) }?.type == .invalidOrder)
                #expect(try await store.failOrder(orderId: unknown, reason: "x") == nil)
            }
        }

        // MARK: - API side

        @Test("a hostile string is stored verbatim as customer_id and failure_reason")
        func hostileStringsStoredVerbatim() async throws {
            try await withStore { store, pool in
                let hostile = "'; DROP TABLE orders; --"
                let orderId = TestDatabase.uniqueId("ord")
                #expect(try await store.recordPendingOrder(orderId: orderId, customerId: hostile))
                #expect(try await store.recordPendingOrder(orderId: orderId, customerId: "ignored") == false)
                #expect(try await store.failOrder(orderId: orderId, reason: hostile + " \\ \" $1") == .failed)
                let order = try #require(try await store.orderSummary(id: orderId))
                #expect(order.customerId == hostile)
                #expect(order.failureReason == hostile + " \\ \" $1")
                #expect(order.status == .failed)
                #expect(order.workflowId == orderId)
                #expect(order.runId == nil)
                // The orders table is still there.
                #expect(
                    try await TestDatabase.count(
                        pool, "SELECT count(*) AS count FROM orders WHERE id = $1", [.string(orderId)]) == 1)
            }
        }

        @Test("recordPendingOrder is idempotent and createOrder fills in the pending row")
        func acceptedThenCreated() async throws {
            try await withStore { store, pool in
                let product = try await TestDatabase.makeProduct(pool, price: "5.00", stock: 5)
                let orderId = TestDatabase.uniqueId("ord")
                #expect(try await store.recordPendingOrder(orderId: orderId, customerId: "cust-9"))
                #expect(try await store.recordPendingOrder(orderId: orderId, customerId: "cust-9") == false)
                var order = try #require(try await store.orderSummary(id: orderId))
                #expect(order.status == .pending)
                #expect(order.workflowId == orderId)
                #expect(order.runId == nil)
                #expect(order.total == nil)
                let total = try await store.createOrder(
                    input(orderId, [(product, 3)], customer: "cust-9"), workflowId: orderId, runId: "run-1")
                #expect(total == Money(cents: 1500))
                order = try #require(try await store.orderSummary(id: orderId))
                #expect(order.status == .created)
                #expect(order.runId == "run-1")
                #expect(order.total == Money(cents: 1500))
                // A created order is no longer a refused create's row: discarding leaves it.
                try await store.discardPendingOrder(orderId: orderId)
                #expect(try await store.orderSummary(id: orderId) != nil)
            }
        }

        @Test("discardPendingOrder removes only an untouched pending row")
        func discardPending() async throws {
            try await withStore { store, _ in
                let orderId = TestDatabase.uniqueId("ord")
                #expect(try await store.recordPendingOrder(orderId: orderId, customerId: "cust-10"))
                try await store.discardPendingOrder(orderId: orderId)
                #expect(try await store.orderSummary(id: orderId) == nil)
                try await store.discardPendingOrder(orderId: orderId)  // nothing there: no error
            }
        }

        @Test("listOrders pages newest first with a cursor, filters by status")
        func listPagination() async throws {
            try await withStore { store, pool in
                var mine: [String] = []
                for _ in 0..<5 {
                    let orderId = TestDatabase.uniqueId("ord")
                    _ = try await store.recordPendingOrder(orderId: orderId, customerId: "lister")
                    mine.append(orderId)
                }
                // Walk pages of 2 until all five were seen (other tests may add orders meanwhile).
                var seen: [Order] = []
                var cursor: OrderCursor?
                var pages = 0
                repeat {
                    let page = try await store.listOrders(limit: 2, cursor: cursor)
                    #expect(page.orders.count <= 2)
                    seen += page.orders
                    cursor = page.next
                    pages += 1
                } while cursor != nil && !Set(mine).isSubset(of: Set(seen.map(\.id))) && pages < 1000
                #expect(Set(mine).isSubset(of: Set(seen.map(\.id))))
                #expect(Set(seen.map(\.id)).count == seen.count, "a page repeated an order")
                for (newer, older) in zip(seen, seen.dropFirst()) {
                    #expect(
                        newer.createdAt > older.createdAt || (newer.createdAt == older.createdAt && newer.id > older.id)
                    )
                }
                // Ours appear newest first.
                let ourOrder = seen.map(\.id).filter { mine.contains($0) }
                #expect(ourOrder == mine.reversed())
                // The cursor survives its string form.
                if let next = cursor {
                    #expect(try OrderCursor(encoded: next.encoded) == next)
                }

                let failed = mine[2]
                try await store.failOrder(orderId: failed, reason: "for the filter")
                let failedPage = try await store.listOrders(status: .failed, limit: 200)
                #expect(failedPage.orders.allSatisfy { $0.status == .failed })
                #expect(failedPage.orders.contains { $0.id == failed })
                _ = pool
            }
        }

        @Test("a cursor string we did not produce is rejected")
        func badCursorRejected() throws {
            let good = OrderCursor(createdAtMicroseconds: 1_764_104_703_123_456, orderId: "ord-1|x")
            #expect(try OrderCursor(encoded: good.encoded) == good)
            #expect(!good.encoded.contains("="))
            let bad = [
                "", "not base64!", "%%%", Data("v2|1|x".utf8).base64EncodedString(),
                Data("v1|abc|x".utf8).base64EncodedString(), Data("v1|1|".utf8).base64EncodedString(),
                Data("v1|1".utf8).base64EncodedString(), String(repeating: "A", count: 2000),
            ]
            for text in bad {
                #expect(throws: OrderCursorError.invalid, "\(text)") { try OrderCursor(encoded: text) }
            }
        }
    }
}
