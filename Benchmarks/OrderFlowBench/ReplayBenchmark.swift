import ArgumentParser
import Logging
import TemporalBridge

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The replay benchmark's workflow: `rounds` rounds of `width` activities in parallel. The Temporal
/// Python SDK peer (Benchmarks/python/replay_bench.py) issues the same commands in the same order,
/// so both replay one recorded history.
enum ReplayBenchWorkflow {
    static let name = "ReplayBenchWorkflow"
    static let activityName = "ReplayBenchStep"

    struct Input: Codable, Sendable {
        var rounds: Int
        var width: Int
    }

    struct Step: Codable, Sendable {
        var round: Int
        var index: Int
    }

    static let options = ActivityOptions(
        startToCloseTimeout: .seconds(10), retryPolicy: RetryPolicy(maximumAttempts: 3))

    static let definition = WorkflowDefinition(name: name) { (input: Input) async throws -> Int in
        for round in 0..<input.rounds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<input.width {
                    group.addTask {
                        let _: Step = try await Workflow.executeActivity(
                            activityName, input: Step(round: round, index: index), options: options)
                    }
                }
                try await group.waitForAll()
            }
        }
        return input.rounds * input.width
    }

    static let activity = ActivityDefinition(name: activityName) { (step: Step, _: ActivityContext) in step }

    /// Rounds of `width` activities for a history of about `events` events: each round writes three
    /// events per activity, plus the workflow tasks its completions wake (about 25 events for 50 in a
    /// dev server run; the exact count depends on timing and is reported).
    static func rounds(forEvents events: Int, width: Int) -> Int {
        let perRound = 3 * width + 25
        return max(1, (events + perRound / 2) / perRound)
    }
}

/// `orderflow-bench replay-record`: runs ReplayBenchWorkflow once on an in-process worker, so its
/// history (about `--events` events) can be fetched with `temporal workflow show --output json`.
/// Prints the workflow id.
struct ReplayRecordBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay-record", abstract: "records a history of about N events for the replay benchmark")

    @Option(help: "Temporal frontend host:port") var address = "127.0.0.1:7233"
    @Option var namespace = "default"
    @Option(help: "events the history should have (about)") var events = 10_000
    @Option(help: "activities per round") var width = 50

    func run() async throws {
        var logger = Logger(label: "replay-record")
        logger.logLevel = .warning
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: address, namespace: namespace), logger: logger)
        let queue = "replay-bench-\(UUID().uuidString.prefix(8).lowercased())"
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: [ReplayBenchWorkflow.definition],
            activities: [ReplayBenchWorkflow.activity], logger: logger)
        let running = Task { try await worker.run() }
        let client = WorkflowClient(connection: connection)
        let input = ReplayBenchWorkflow.Input(
            rounds: ReplayBenchWorkflow.rounds(forEvents: events, width: width), width: width)
        let handle = try await client.start(
            workflowType: ReplayBenchWorkflow.name, id: queue, taskQueue: queue, args: [input])
        let done: Int = try await client.result(handle)
        worker.shutdown()
        try await running.value
        guard done == input.rounds * input.width else {
            throw ValidationError("the workflow ran \(done) activities, expected \(input.rounds * input.width)")
        }
        print(handle.workflowId)
    }
}

/// `orderflow-bench replay`: replays one history (`temporal workflow show --output json`) with
/// `WorkflowReplayer` `--runs` times and prints one JSON line: events, median and p90 ms per replay.
struct ReplayBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "replays a recorded ReplayBenchWorkflow history with WorkflowReplayer")

    @Option(help: "history JSON from `temporal workflow show --output json`") var history: String
    @Option(help: "measured replays") var runs = 20
    @Option(help: "unmeasured replays first") var warmup = 2

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: history))
        let parsed = try WorkflowReplayer.decodeHistory(json: data)
        let replayer = WorkflowReplayer(workflows: [ReplayBenchWorkflow.definition])
        for _ in 0..<warmup { try replayer.replay(parsed) }
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = clock.now
            try replayer.replay(parsed)
            let elapsed = clock.now - start
            times.append(Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        times.sort()
        let report: [String: Double] = [
            "events": Double(parsed.events.count), "runs": Double(runs),
            "replay_ms_p50": times.count % 2 == 1
                ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2,
            "replay_ms_p90": times[min(times.count - 1, times.count * 9 / 10)],
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
