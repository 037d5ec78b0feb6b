import ArgumentParser
import TemporalBridge

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `orderflow-bench workflow-load`: starts the benchmark workflow N times at C concurrent, awaits
/// each result, checks it, and prints one JSON line (runs/s, p50/p99 start-to-result latency).
/// It drives our worker and the Python SDK worker alike; only the task queue differs.
struct WorkflowLoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow-load",
        abstract: "starts the 4-activity benchmark workflow N times at C concurrent and measures it")

    @Option(help: "Temporal frontend host:port") var address = "127.0.0.1:7233"
    @Option var namespace = "default"
    @Option(help: "task queue the worker under test polls") var taskQueue = "worker-bench"
    @Option(help: "workflows to run") var count = 1_000
    @Option(help: "workflows in flight at once") var concurrency = 50
    @Option(help: "unmeasured workflows run first (connections, caches, JIT of the peer)") var warmup = 10
    @Option(help: "prefix of the workflow ids") var idPrefix = "worker-bench"

    func run() async throws {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: address, namespace: namespace))
        let client = WorkflowClient(connection: connection)
        let prefix = "\(idPrefix)-\(UUID().uuidString.prefix(8).lowercased())"
        let runOnce: @Sendable (String, Int) async throws -> Void = { [taskQueue] id, index in
            let input = BenchmarkWorkflow.Value(id: id, value: index)
            let handle = try await client.start(
                workflowType: BenchmarkWorkflow.name, id: id, taskQueue: taskQueue, args: [input])
            let result: BenchmarkWorkflow.Value = try await client.result(handle)
            guard result == BenchmarkWorkflow.expectedResult(for: input) else {
                throw ValidationError("workflow \(id) returned \(result), expected input + 4")
            }
        }
        try await LoadRunner.measure(count: count, concurrency: concurrency, warmup: warmup) { name, index in
            try await runOnce("\(prefix)-\(name)", index)
        }
    }
}
