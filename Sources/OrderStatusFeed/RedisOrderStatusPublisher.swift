import Logging
import OrderCore
import RedisClient

/// Publishes each change as JSON on `OrderStatusChange.channel`. A Redis failure is logged (at
/// most once per `warningInterval`, so an outage does not flood the log) and otherwise ignored.
public final class RedisOrderStatusPublisher: OrderStatusPublisher {
    private let client: RedisClient
    private let channel: String
    private let logger: Logger
    private let outageWarning: ThrottledWarning

    public init(
        client: RedisClient, channel: String = OrderStatusChange.channel, warningInterval: Duration = .seconds(30),
        logger: Logger
    ) {
        self.client = client
        self.channel = channel
        self.outageWarning = ThrottledWarning(interval: warningInterval)
        self.logger = logger
    }

    /// Queues the change and returns: the step's result need not wait for Redis. One order's changes share a
    /// connection, so they are published in the order they happened.
    public func publish(_ change: OrderStatusChange) async {
        client.publishQueued(change.encoded(), to: channel, orderKey: change.orderId) {
            [outageWarning, logger] error in
            if outageWarning.isDue() {
                logger.warning(
                    "could not publish order status change; the live feed misses it",
                    metadata: [
                        "order_id": "\(change.orderId)", "status": "\(change.status.rawValue)", "error": "\(error)",
                    ])
            } else {
                logger.debug("could not publish order status change", metadata: ["order_id": "\(change.orderId)"])
            }
        }
    }
}
