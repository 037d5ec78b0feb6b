import Foundation
import Logging
import OrderCore
import OrderStatusFeed
import OrderStore

/// The bodies of the seven order activities. Each is one OrderStore transaction (ProcessPayment and RefundPayment
/// also call the payment provider, with the order's idempotency key), idempotent by its keys, and throws
/// errors already mapped for Temporal (see `ActivityErrorMapping`). Each status change is
/// announced on the live feed once its transaction has committed.
struct OrderActivities: Sendable {
    let store: OrderStore
    let payments: PaymentSimulator
    let logger: Logger
    var fraud = FraudSettings()
    /// Best effort: never throws, so the feed can never fail an activity.
    var statusPublisher: any OrderStatusPublisher = NoStatusPublisher()
    var metrics = OrderMetrics()

    /// CreateOrder: the order row and its items, priced from the catalog; status `created`.
    func createOrder(_ input: CreateOrderInput) async throws -> CreateOrderResult {
        let result = try await ActivityErrorMapping.mapping {
            let total = try await store.createOrder(input.order, workflowId: input.workflowId, runId: input.runId)
            return CreateOrderResult(orderId: input.order.orderId, total: total)
        }
        await announce(input.order.orderId, .created, step: .createOrder)
        return result
    }

    /// CheckInventory: reserves stock for every item, all or nothing; status `inventory_reserved`.
    func checkInventory(_ input: OrderReference) async throws -> CheckInventoryResult {
        let result = try await ActivityErrorMapping.mapping {
            try await store.reserveInventory(orderId: input.orderId)
            return CheckInventoryResult(orderId: input.orderId, reserved: true)
        }
        await announce(input.orderId, .inventoryReserved, step: .checkInventory)
        return result
    }

    /// ScreenFraud: declines (`FraudSuspected`) an order that takes its customer over the velocity
    /// limit. Reads only, and only orders placed before this one: a retry decides the same.
    func screenFraud(_ input: ScreenFraudInput) async throws -> ScreenFraudResult {
        try await ActivityErrorMapping.mapping {
            let velocity = try await store.customerVelocity(orderId: input.orderId, windowSeconds: fraud.windowSeconds)
            let window = "within \(fraud.windowSeconds)s"
            if velocity.orders > fraud.maxOrders {
                throw OrderBusinessError(
                    type: .fraudSuspected,
                    message: "customer \(input.customerId) placed \(velocity.orders) orders \(window) "
                        + "(limit \(fraud.maxOrders))")
            }
            if velocity.amount > fraud.maxAmount {
                throw OrderBusinessError(
                    type: .fraudSuspected,
                    message:
                        "customer \(input.customerId) ordered \(velocity.amount) \(window) (limit \(fraud.maxAmount))")
            }
            return ScreenFraudResult(
                orderId: input.orderId, recentOrders: velocity.orders, recentAmount: velocity.amount)
        }
    }

    /// ProcessPayment: charges once per order; status `payment_processed`. The intent is on record before the
    /// provider is asked, and the provider gets the order's idempotency key, so an attempt that outlives its
    /// start-to-close and charges after a retry did gets the retry's charge back instead of a second one.
    func processPayment(_ input: ProcessPaymentInput) async throws -> ProcessPaymentResult {
        let key = PaymentSimulator.transactionId(orderId: input.orderId)
        let result = try await ActivityErrorMapping.mapping {
            let start = try await store.beginPayment(orderId: input.orderId, amount: input.amount, idempotencyKey: key)
            if case .alreadyPaid(let existing) = start {
                return ProcessPaymentResult(orderId: input.orderId, transactionId: existing, amount: input.amount)
            }
            let charged: String
            do {
                charged = try await payments.charge(idempotencyKey: key, amount: input.amount)
            } catch let error as PaymentError {
                if error != .interrupted { metrics.paymentRefused(declined: error.isDeclined) }
                throw error
            }
            let stored = try await store.recordPayment(
                orderId: input.orderId, amount: input.amount, transactionId: charged)
            if stored == charged { metrics.paid(input.amount) }
            return ProcessPaymentResult(orderId: input.orderId, transactionId: stored, amount: input.amount)
        }
        await announce(input.orderId, .paymentProcessed, step: .processPayment)
        return result
    }

    /// SendNotification: records the notification and the order's matching terminal status
    /// (`completed`, `failed` or `cancelled`) together.
    func sendNotification(_ input: SendNotificationInput) async throws -> SendNotificationResult {
        let result = try await ActivityErrorMapping.mapping {
            let finished = try await store.finishOrder(
                orderId: input.orderId, as: input.kind.orderStatus, reason: input.reason,
                customerIdIfMissing: input.customerId, notificationKind: input.kind.rawValue,
                channel: input.channel, message: input.message)
            let status = finished.status
            if finished.isFirstNotice, let status, status == input.kind.orderStatus {
                metrics.finished(status, reason: input.reason)
            }
            logger.info(
                "notification sent",
                metadata: [
                    "order_id": "\(input.orderId)", "kind": "\(input.kind.rawValue)", "channel": "\(input.channel)",
                ])
            return SendNotificationResult(orderId: input.orderId, status: status)
        }
        if let status = result.status {
            let reason = status == .completed ? nil : input.reason
            await announce(input.orderId, status, step: .sendNotification, failureReason: reason)
        }
        return result
    }

    /// ReleaseInventory (compensation): gives reserved stock back, exactly once.
    func releaseInventory(_ input: OrderReference) async throws -> ReleaseInventoryResult {
        try await ActivityErrorMapping.mapping {
            let released = try await store.releaseInventory(orderId: input.orderId)
            if released > 0 { metrics.compensated(releasedInventory: true) }
            return ReleaseInventoryResult(orderId: input.orderId, released: released)
        }
    }

    /// RefundPayment (compensation): refunds the order's payment, exactly once. The provider is asked first,
    /// by the order's key, whether or not a payment is on record: a charge booked by an attempt that never
    /// recorded it is refunded too, and a key never charged is voided, so a late attempt cannot charge afterwards.
    func refundPayment(_ input: OrderReference) async throws -> RefundPaymentResult {
        try await ActivityErrorMapping.mapping {
            let refund = try await payments.refund(
                idempotencyKey: PaymentSimulator.transactionId(orderId: input.orderId))
            let marked = try await store.refundPayment(orderId: input.orderId)
            if case .refunded(let amount) = refund {
                logger.info("payment refunded", metadata: ["order_id": "\(input.orderId)", "amount": "\(amount)"])
            }
            if marked { metrics.compensated(releasedInventory: false) }
            return RefundPaymentResult(orderId: input.orderId, refunded: marked)
        }
    }

    private func announce(
        _ orderId: String, _ status: OrderStatus, step: ActivityName, failureReason: String? = nil
    ) async {
        await statusPublisher.publish(
            OrderStatusChange(
                orderId: orderId, status: status, step: step.rawValue, failureReason: failureReason, updatedAt: Date()))
    }
}
