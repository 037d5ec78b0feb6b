import Foundation
import Logging
import OrderCore
import OrderStatusFeed
import OrderStore
import PostgresClient
import RedisClient
import Testing

@testable import OrderWorker

/// The activities announce each status change on Redis once it is committed, and a Redis
/// outage never fails an activity.
@Suite("Status changes published to Redis", .serialized)
struct StatusPublishTests {
    private static var redisEndpoint: RedisEndpoint {
        RedisEndpoint(
            try! RedisSettings(url: ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379"))
    }

    private func activities(_ pool: PostgresPool, publisher: any OrderStatusPublisher) -> OrderActivities {
        OrderActivities(
            store: OrderStore(pool: pool),
            payments: PaymentSimulator(
                settings: PaymentSettings(), ledger: PaymentProviderLedger(pool: pool), random: { 0.99 }),
            logger: WorkerTestDatabase.logger, statusPublisher: publisher)
    }

    /// The next `count` status changes on `events`, at most 10 s.
    private func changes(_ events: inout AsyncStream<RedisSubscriber.Event>.Iterator, count: Int) async
        -> [OrderStatusChange]
    {
        var found: [OrderStatusChange] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while found.count < count, ContinuousClock.now < deadline, let event = await events.next(isolation: #isolation)
        {
            if case .message(_, let payload) = event, let change = try? OrderStatusChange.decode(payload) {
                found.append(change)
            }
        }
        return found
    }

    @Test func everyStepIsAnnouncedInOrderAfterItsCommit() async throws {
        let channel = WorkerTestDatabase.uniqueId("test:status-channel")
        let subscriber = RedisSubscriber(
            endpoint: Self.redisEndpoint, channels: [channel], logger: WorkerTestDatabase.logger)
        var events = subscriber.events.makeAsyncIterator()
        while let event = await events.next(isolation: #isolation), event != .subscribed {}

        let redis = RedisClient(endpoint: Self.redisEndpoint, logger: WorkerTestDatabase.logger)
        let pool = try await WorkerTestDatabase.pool()
        let product = try await WorkerTestDatabase.makeProduct(pool, price: "5.00", stock: 10)
        let orderId = WorkerTestDatabase.uniqueId("wt-pub")
        let order = WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 2)
        let subject = activities(
            pool,
            publisher: RedisOrderStatusPublisher(client: redis, channel: channel, logger: WorkerTestDatabase.logger))

        let created = try await subject.createOrder(
            CreateOrderInput(order: order, workflowId: orderId, runId: "run-\(orderId)"))
        var seen = await changes(&events, count: 1)
        // Announced after the commit: whoever reacts to the event already reads the new row.
        #expect(seen.first?.status == .created)
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "created")

        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        _ = try await subject.processPayment(ProcessPaymentInput(orderId: orderId, amount: created.total))
        _ = try await subject.sendNotification(
            SendNotificationInput(orderId: orderId, kind: .orderCompleted, message: "done"))
        seen += await changes(&events, count: 3)

        #expect(seen.map(\.orderId) == Array(repeating: orderId, count: 4))
        #expect(seen.map(\.status) == [.created, .inventoryReserved, .paymentProcessed, .completed])
        #expect(seen.map(\.step) == ["CreateOrder", "CheckInventory", "ProcessPayment", "SendNotification"])
        #expect(seen.allSatisfy { $0.failureReason == nil })

        await subscriber.stop()
        await redis.close()
        await pool.close()
    }

    @Test func aFailedOrderCarriesItsReason() async throws {
        let channel = WorkerTestDatabase.uniqueId("test:status-channel")
        let subscriber = RedisSubscriber(
            endpoint: Self.redisEndpoint, channels: [channel], logger: WorkerTestDatabase.logger)
        var events = subscriber.events.makeAsyncIterator()
        while let event = await events.next(isolation: #isolation), event != .subscribed {}
        let redis = RedisClient(endpoint: Self.redisEndpoint, logger: WorkerTestDatabase.logger)
        let pool = try await WorkerTestDatabase.pool()
        let product = try await WorkerTestDatabase.makeProduct(pool, stock: 1)
        let orderId = WorkerTestDatabase.uniqueId("wt-pub-fail")
        let subject = activities(
            pool,
            publisher: RedisOrderStatusPublisher(client: redis, channel: channel, logger: WorkerTestDatabase.logger))

        _ = try await subject.createOrder(
            CreateOrderInput(
                order: WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 5), workflowId: orderId,
                runId: "run-\(orderId)"))
        await #expect(throws: (any Error).self) { try await subject.checkInventory(OrderReference(orderId: orderId)) }
        _ = try await subject.sendNotification(
            SendNotificationInput(
                orderId: orderId, kind: .orderFailed, message: "no stock", reason: "InsufficientInventory: none left"))

        let seen = await changes(&events, count: 2)
        #expect(seen.map(\.status) == [.created, .failed], "a failed step announces nothing")
        #expect(seen.last?.failureReason == "InsufficientInventory: none left")
        #expect(seen.last?.step == "SendNotification")

        await subscriber.stop()
        await redis.close()
        await pool.close()
    }

    @Test func aRedisOutageNeverFailsAnActivity() async throws {
        // Nothing listens on 6399 (a private port of these tests).
        let redis = RedisClient(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: 6399), logger: WorkerTestDatabase.logger)
        let pool = try await WorkerTestDatabase.pool()
        let product = try await WorkerTestDatabase.makeProduct(pool, stock: 10)
        let orderId = WorkerTestDatabase.uniqueId("wt-pub-down")
        let subject = activities(
            pool, publisher: RedisOrderStatusPublisher(client: redis, logger: WorkerTestDatabase.logger))

        _ = try await subject.createOrder(
            CreateOrderInput(
                order: WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 1), workflowId: orderId,
                runId: "run-\(orderId)"))
        _ = try await subject.checkInventory(OrderReference(orderId: orderId))
        #expect(try await WorkerTestDatabase.status(pool, orderId) == "inventory_reserved")

        await redis.close()
        await pool.close()
    }
}
