import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// Many workflows through one worker: the sticky cache serves most workflow tasks, and a cache smaller
/// than the number of runs wanted bounds the runs the worker takes on at once.
///
/// Runs on a private in-memory dev server with task-dispatch pacing lifted
/// (`history.transferProcessorMaxPollRPS`, 20 by default, would make 1,000 workflows take minutes).
@Suite(.serialized) struct StickyCacheIntegrationTests {
    static let port = 7321

    /// Three activities in sequence: four workflow tasks per run, three of them sticky.
    static let chainWorkflow = WorkflowDefinition(name: "CacheChain") { (input: Int) async throws -> Int in
        var value = input
        for _ in 0..<3 {
            value = try await Workflow.executeActivity("AddOne", input: value, options: WorkerTestSupport.options())
        }
        return value
    }

    static let addOne = ActivityDefinition(name: "AddOne") { (value: Int, _: ActivityContext) in value + 1 }

    /// Starts `count` workflows (`concurrency` at a time) on a worker with `cacheSize`, checks every
    /// result, and returns the worker's statistics.
    private func runWorkflows(count: Int, concurrency: Int, cacheSize: Int) async throws -> WorkerStatistics {
        let server = try await PrivateDevServer.start(
            port: Self.port, dynamicConfig: ["history.transferProcessorMaxPollRPS=1000"])
        let connection = try server.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("cache-it")
        var options = WorkerOptions()
        options.maxCachedWorkflows = cacheSize
        var logger = Logger(label: "cache-test")
        logger.logLevel = .warning
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: [Self.chainWorkflow], activities: [Self.addOne],
            options: options, logger: logger)
        let runTask = Task { try await worker.run() }
        let wrong = try await withThrowingTaskGroup(of: Int?.self) { group in
            var started = 0
            func startNext() {
                let index = started
                started += 1
                group.addTask {
                    let handle = try await client.start(
                        workflowType: "CacheChain", id: "\(queue)-\(index)", taskQueue: queue, args: [index * 10])
                    let result: Int = try await client.result(handle)
                    return result == index * 10 + 3 ? nil : index
                }
            }
            while started < min(count, concurrency) { startNext() }
            var wrong: [Int] = []
            while let outcome = try await group.next() {
                if let outcome { wrong.append(outcome) }
                if started < count { startNext() }
            }
            return wrong
        }
        worker.shutdown()
        try await runTask.value
        await server.stop()
        #expect(wrong.isEmpty, "workflows with a wrong result: \(wrong.prefix(10))")
        return worker.statistics
    }

    @Test func thousandWorkflowsThroughOneWorkerMostlyHitTheStickyCache() async throws {
        let stats = try await runWorkflows(count: 1_000, concurrency: 100, cacheSize: 1_000)
        let lookups = stats.cacheHits + stats.cacheMisses
        let hitRate = lookups == 0 ? 0 : Double(stats.cacheHits) / Double(lookups)
        print(
            "sticky cache, 1,000 workflows: \(stats.cacheHits) hits / \(lookups) workflow tasks "
                + "(hit rate \(String(format: "%.1f", hitRate * 100)) %), \(stats.cacheMisses) misses, "
                + "\(stats.replays) replays, peak \(stats.peakCachedRuns) runs cached")
        #expect(stats.workflowTasks == lookups)
        #expect(stats.workflowTaskFailures == 0)
        // Each run's first task is a miss; its later ones come from the cache (a rare sticky
        // timeout may move one to the normal queue, hence not an exact count).
        #expect(stats.cacheMisses >= 1_000)
        #expect(stats.cacheHits >= 2_000, "hits \(stats.cacheHits)")
        #expect(stats.activityTasks == 3_000)
    }

    /// More runs wanted than the cache holds: the worker takes new runs only as cached ones finish
    /// (`WorkflowCache.admitNewRun`), so no run in flight is evicted and none replays. Without the
    /// admission, 50 runs pushed through a cache of 5 evicted runs between their steps and replayed them.
    @Test func cacheSmallerThanConcurrencyTakesNewRunsOnlyAsRoomFrees() async throws {
        let stats = try await runWorkflows(count: 100, concurrency: 50, cacheSize: 5)
        print(
            "sticky cache of 5, 100 workflows at 50 concurrent: \(stats.cacheHits) hits, "
                + "\(stats.cacheMisses) misses, \(stats.replays) full replays, peak \(stats.peakCachedRuns) cached")
        #expect(stats.replays == 0, "a run in flight was evicted and replayed")
        #expect(stats.peakCachedRuns <= 5)
        #expect(stats.workflowTaskFailures == 0)
        #expect(stats.activityTasks == 300)
    }

    @Test func cacheSizeZeroTurnsStickyExecutionOff() async throws {
        let stats = try await runWorkflows(count: 20, concurrency: 10, cacheSize: 0)
        #expect(stats.cacheHits == 0)
        #expect(stats.replays == stats.workflowTasks - 20, "every task after the first replays")
        #expect(stats.workflowTaskFailures == 0)
    }
}
