import Foundation
import Testing

@testable import TemporalBridge

/// The Swift twin of `LocalActivityInterop` in Tests/interop/local_activity_interop.py (keep both
/// in step): Greet, Flaky retried in the task, Flaky retried after a timer, Refuse caught, a timer.
enum LocalActivityInterop {
    static let tenSeconds = Duration.seconds(10)

    static let workflow = WorkflowDefinition(name: "LocalActivityInterop") { (name: String) async throws -> String in
        let a: String = try await Workflow.executeLocalActivity(
            "Greet", input: name, options: LocalActivityOptions(startToCloseTimeout: tenSeconds),
            summary: "greet \(name)")
        let b: String = try await Workflow.executeLocalActivity(
            "Flaky", input: name,
            options: LocalActivityOptions(
                startToCloseTimeout: tenSeconds, retryPolicy: RetryPolicy(initialInterval: .milliseconds(10))),
            summary: "flaky in the task")
        let c: String = try await Workflow.executeLocalActivity(
            "Flaky", input: name,
            options: LocalActivityOptions(
                startToCloseTimeout: tenSeconds, retryPolicy: RetryPolicy(initialInterval: .milliseconds(200)),
                localRetryThreshold: .milliseconds(50)),
            summary: "flaky on a timer")
        var d = "accepted"
        do {
            let _: String = try await Workflow.executeLocalActivity(
                "Refuse", input: name, options: LocalActivityOptions(startToCloseTimeout: tenSeconds),
                summary: "refuse")
        } catch let failure as ActivityFailure {
            d = "refused:\(failure.type)"
        }
        try await Workflow.sleep(for: .milliseconds(10))
        return "\(a)|\(b)|\(c)|\(d)"
    }

    /// The first step as a remote activity: must not replay a history with markers.
    static let remote = WorkflowDefinition(name: "LocalActivityInterop") { (name: String) async throws -> String in
        try await Workflow.executeActivity(
            "Greet", input: name, options: ActivityOptions(startToCloseTimeout: tenSeconds), returning: String.self)
    }

    /// Another local activity type first: must not replay either.
    static let otherType = WorkflowDefinition(name: "LocalActivityInterop") { (name: String) async throws -> String in
        try await Workflow.executeLocalActivity(
            "Welcome", input: name, options: LocalActivityOptions(startToCloseTimeout: tenSeconds),
            returning: String.self)
    }

    static let activities = [
        ActivityDefinition(name: "Greet") { (name: String, _: ActivityContext) in "hello \(name)" },
        ActivityDefinition(name: "Flaky") { (name: String, context: ActivityContext) in
            if context.info.attempt < 2 { throw ApplicationFailure(type: "Transient", message: "not yet") }
            return "\(name)@\(context.info.attempt)"
        },
        ActivityDefinition(name: "Refuse") { (name: String, _: ActivityContext) -> String in
            throw ApplicationFailure(type: "Refused", message: "no \(name)", nonRetryable: true)
        },
    ]

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interop/local_activity_interop.py").path

    /// A history the Python SDK 1.35 wrote for LocalActivityInterop (`local_activity_interop.py record`).
    static func committedPythonHistory() throws -> Data {
        let url = try #require(
            Bundle.module.url(
                forResource: "python-local-activities", withExtension: "json", subdirectory: "Fixtures/histories"))
        return try Data(contentsOf: url)
    }
}

/// Local activities interoperate with the Python SDK's: their history (markers written by
/// sdk-core) replays here without running an activity, ours replays on their Replayer.
@Suite(.serialized) struct LocalActivityInteropTests {
    private func expectReplaysOnlyAsLocalActivities(_ json: Data) throws {
        #expect(try WorkflowReplayer(workflows: [LocalActivityInterop.workflow]).replay(json: json).isEmpty)
        let remote = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [LocalActivityInterop.remote]).replay(json: json)
        }
        #expect(remote.message.contains("history event 5"), "\(remote)")
        let other = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [LocalActivityInterop.otherType]).replay(json: json)
        }
        #expect(
            other.message.contains("history event 5") && other.message.contains("Greet")
                && other.message.contains("Welcome"), "\(other)")
    }

    @Test func aCommittedPythonHistoryReplaysHere() throws {
        try expectReplaysOnlyAsLocalActivities(try LocalActivityInterop.committedPythonHistory())
    }

    @Test func aHistoryWrittenByThePythonSDKNowReplaysHere() async throws {
        let file = PatchInterop.temporaryFile("python-local-activity-history")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await WorkflowClientInteropTests.runPython([
            LocalActivityInterop.script, "record", TransportTestSupport.target, file.path,
        ])
        let summary = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(summary["result"] as? String == "hello py|py@2|py@2|refused:Refused")
        try expectReplaysOnlyAsLocalActivities(try Data(contentsOf: file))
    }

    @Test func aHistoryWrittenByOurWorkerReplaysOnThePythonSDK() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("local-activity-interop")
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [LocalActivityInterop.workflow],
            activities: LocalActivityInterop.activities)
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "LocalActivityInterop", id: TransportTestSupport.uniqueName("local-activity-interop-swift"),
            taskQueue: queue, args: ["swift"])
        let result: String = try await client.result(handle)
        #expect(result == "hello swift|swift@2|swift@2|refused:Refused")

        var history = Temporal_Api_History_V1_History()
        history.events = try await client.history(handle)
        #expect(!history.events.contains { $0.eventType == .workflowTaskFailed })
        #expect(!history.events.contains { $0.eventType == .activityTaskScheduled })
        let markers = history.events.compactMap { LocalActivityMarker(event: $0) }
        #expect(markers.map(\.activityType) == ["Greet", "Flaky", "Flaky", "Flaky", "Refuse"])
        #expect(markers.map(\.seq) == [1, 2, 3, 4, 5])
        // Retries are visible: the in-task retry's attempt, the timer retry's failed attempt and backoff.
        #expect(markers.map(\.attempt) == [1, 2, 1, 2, 1])
        #expect(markers[2].backoff == .milliseconds(200) && markers[2].failure?.message == "not yet")
        #expect(markers[4].failure?.applicationFailureInfo.type == "Refused")
        // The Web UI names each marker by its summary.
        let summaries = history.events.filter { $0.eventType == .markerRecorded }.map {
            try? WorkflowPayloads.decode($0.userMetadata.summary, as: String.self)
        }
        #expect(summaries == ["greet swift", "flaky in the task", "flaky on a timer", "flaky on a timer", "refuse"])

        let file = PatchInterop.temporaryFile("swift-local-activity-history")
        defer { try? FileManager.default.removeItem(at: file) }
        try history.jsonUTF8Data().write(to: file)
        let output = try await WorkflowClientInteropTests.runPython([LocalActivityInterop.script, "replay", file.path])
        let verdict = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
        #expect(verdict["local"] == "ok", "\(verdict)")
        let remote = try #require(verdict["remote"])
        #expect(remote != "ok" && remote.lowercased().contains("nondetermin"), "\(remote)")
        #expect(try WorkflowReplayer(workflows: [LocalActivityInterop.workflow]).replay(history).isEmpty)
    }

    /// A local activity running past 80 % of the task timeout: the worker heartbeats the task
    /// (an empty completion, the next task handed straight back), the activity keeps running and
    /// its marker lands in the later task. Both replayers accept the history. The task timeout
    /// leaves the heartbeat 0.8 s of slack: with 2 s (0.4 s) a loaded CI machine once let the first
    /// task time out before its heartbeat arrived.
    @Test func aLocalActivityLongerThanTheTaskTimeoutHeartbeatsTheTask() async throws {
        let slow = WorkflowDefinition(name: "SlowLocalActivity") { (name: String) async throws -> String in
            try await Workflow.executeLocalActivity(
                "Slow", input: name, options: LocalActivityOptions(startToCloseTimeout: .seconds(10)),
                summary: "slow", returning: String.self)
        }
        let activity = ActivityDefinition(name: "Slow") { (name: String, _: ActivityContext) in
            try await Task.sleep(for: .milliseconds(3_800))
            return "slow \(name)"
        }
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("local-activity-heartbeat")
        let (worker, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [slow], activities: [activity])
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "SlowLocalActivity", id: TransportTestSupport.uniqueName("local-activity-heartbeat"),
            taskQueue: queue, args: ["swift"], options: WorkflowStartOptions(taskTimeout: .seconds(4)))
        let result: String = try await client.result(handle)
        #expect(result == "slow swift")
        var history = Temporal_Api_History_V1_History()
        history.events = try await client.history(handle)
        let types = history.events.map(\.eventType)
        #expect(!types.contains(.workflowTaskFailed) && !types.contains(.workflowTaskTimedOut), "\(types)")
        #expect(worker.statistics.workflowTaskHeartbeats >= 1)
        let heartbeats = zip(types, types.dropFirst()).filter {
            $0 == .workflowTaskCompleted && $1 == .workflowTaskScheduled
        }
        #expect(!heartbeats.isEmpty, "\(types)")
        #expect(history.events.compactMap { LocalActivityMarker(event: $0) }.map(\.activityType) == ["Slow"])
        #expect(try WorkflowReplayer(workflows: [slow]).replay(history).isEmpty)

        let file = PatchInterop.temporaryFile("swift-local-activity-heartbeat")
        defer { try? FileManager.default.removeItem(at: file) }
        try history.jsonUTF8Data().write(to: file)
        let output = try await WorkflowClientInteropTests.runPython([LocalActivityInterop.script, "replay", file.path])
        let verdict = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
        #expect(verdict["local"] == "ok", "\(verdict)")
    }
}
