import ArgumentParser
import Dispatch
import Logging
import TemporalBridge

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `orderflow-bench workflow-worker`: a TemporalBridge worker running the benchmark workflow and its
/// four activities until SIGTERM/SIGINT, then printing its statistics as one JSON line. The bench
/// script measures this process's CPU and RSS from /proc.
struct WorkflowWorkerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow-worker", abstract: "a TemporalBridge worker running the 4-activity benchmark workflow")

    @Option(help: "Temporal frontend host:port") var address = "127.0.0.1:7233"
    @Option var namespace = "default"
    @Option(help: "task queue to poll") var taskQueue = "worker-bench"
    @Option(help: "sticky cache size (runs); 0 turns sticky execution off") var cacheSize = 1_000
    @Flag(help: "do not request eager activity execution") var noEagerActivities = false
    @Option(help: "pollers per workflow task queue (normal and sticky)") var workflowPollers: Int?
    @Option(help: "activity task pollers") var activityPollers: Int?
    @Option(help: "concurrent workflow tasks") var maxWorkflowTasks: Int?
    @Option(help: "log level") var logLevel: Logger.Level = .warning

    func run() async throws {
        var logger = Logger(label: "workflow-worker")
        logger.logLevel = logLevel
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: address, namespace: namespace), logger: logger)
        var options = WorkerOptions()
        options.maxCachedWorkflows = cacheSize
        options.eagerActivityExecution = !noEagerActivities
        if let workflowPollers { options.workflowTaskPollers = workflowPollers }
        if let activityPollers { options.activityTaskPollers = activityPollers }
        if let maxWorkflowTasks { options.maxConcurrentWorkflowTasks = maxWorkflowTasks }
        let worker = Worker(
            connection: connection, taskQueue: taskQueue, workflows: [BenchmarkWorkflow.definition],
            activities: BenchmarkWorkflow.activities, options: options, logger: logger)
        let signals = ShutdownSignals { worker.shutdown() }
        defer { signals.cancel() }
        print("ready", taskQueue)
        fflush(nil)
        try await worker.run()
        let stats = worker.statistics
        let summary: [String: Int] = [
            "cache_hits": stats.cacheHits, "cache_misses": stats.cacheMisses, "replays": stats.replays,
            "workflow_tasks": stats.workflowTasks, "workflow_task_failures": stats.workflowTaskFailures,
            "activity_tasks": stats.activityTasks, "eager_activities": stats.eagerActivities,
            "peak_cached_runs": stats.peakCachedRuns,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Turns SIGTERM and SIGINT into one call of `onSignal` (dispatch sources, off the cooperative pool).
/// Unchecked: the sources are immutable after init and dispatch sources are thread-safe.
final class ShutdownSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(onSignal: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }

    func cancel() { for source in sources { source.cancel() } }
}
