import ArgumentParser
import TemporalBridge

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `orderflow-bench order-load`: starts `OrderWorkflow` N times at C concurrent with the documented JSON
/// input, awaits each result, checks it is `completed`, and prints one JSON line (orders/s, p50/p99
/// start-to-result latency). It drives `order-worker` and the Python SDK peer alike: only the task
/// queue differs, the input and the expected result are those of docs/workflow.md.
struct OrderLoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-load", abstract: "starts OrderWorkflow N times at C concurrent and measures it")

    @Option(help: "Temporal frontend host:port") var address = "127.0.0.1:7233"
    @Option var namespace = "default"
    @Option(help: "task queue the order worker under test polls") var taskQueue = "order-processing"
    @Option(help: "orders to run") var count = 1_000
    @Option(help: "orders in flight at once") var concurrency = 50
    @Option(help: "unmeasured orders run first (connections, caches, the peer's imports)") var warmup = 10
    @Option(help: "prefix of the order ids (a random suffix keeps runs apart)") var idPrefix = "bench-order"
    @Option(help: "the product every order buys (the catalog must hold enough stock)") var productId = "BENCH-001"
    @Option(help: "its unit price as the client states it") var unitPrice = "10.00"

    func run() async throws {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: address, namespace: namespace))
        let client = WorkflowClient(connection: connection)
        let prefix = "\(idPrefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let order = BenchOrder(productId: productId, unitPrice: unitPrice)
        let runOnce: @Sendable (String) async throws -> Void = { [taskQueue] id in
            let handle = try await client.start(
                workflowType: "OrderWorkflow", id: id, taskQueue: taskQueue, args: [order.input(orderId: id)])
            let result: BenchOrder.Result = try await client.result(handle)
            guard result.orderId == id, result.status == "completed", result.transactionId?.isEmpty == false else {
                throw ValidationError("order \(id) ended \(result), expected completed with a transaction id")
            }
        }
        try await LoadRunner.measure(count: count, concurrency: concurrency, warmup: warmup) { name, _ in
            try await runOnce("\(prefix)-\(name)")
        }
    }
}

/// The workflow input and result of docs/workflow.md, spelled out here (not OrderWorker's types) so the driver
/// checks the wire contract that any Temporal client sees.
struct BenchOrder: Sendable {
    let productId: String
    let unitPrice: String

    struct Input: Encodable, Sendable {
        let orderId: String
        let customerId: String
        let items: [Item]

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id"
            case customerId = "customer_id"
            case items
        }
    }

    struct Item: Encodable, Sendable {
        let productId: String
        let productName: String
        let quantity: Int
        /// A JSON number with two decimals, as docs/workflow.md says amounts are.
        let unitPrice: Decimal

        enum CodingKeys: String, CodingKey {
            case productId = "product_id"
            case productName = "product_name"
            case quantity
            case unitPrice = "unit_price"
        }
    }

    struct Result: Decodable, Sendable {
        let orderId: String
        let status: String
        let transactionId: String?

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id"
            case status
            case transactionId = "transaction_id"
        }
    }

    func input(orderId: String) -> Input {
        Input(
            orderId: orderId, customerId: "bench-customer",
            items: [
                Item(
                    productId: productId, productName: "Benchmark item", quantity: 1,
                    unitPrice: Decimal(string: unitPrice) ?? 0)
            ])
    }
}
