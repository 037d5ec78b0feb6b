import Foundation
import Logging
import Testing

@testable import TemporalBridge

#if canImport(Glibc)
    import Glibc
#endif

/// A replay that outlasts the workflow task timeout: the worker heartbeats the task (empty
/// completion with force_create_new_workflow_task) and finishes on the task the server hands back;
/// the replay runs on the worker's own threads, not the cooperative pool.
@Suite(.serialized) struct WorkflowTaskHeartbeatTests {
    static let replayThreadNames = NameLog()

    /// Eight timers; every activation replayed from history costs 400 ms, so a full replay takes
    /// about 3.2 s, longer than the 3 s task timeout this test starts it with: without a heartbeat
    /// every attempt times out and the run never finishes.
    static let slowToReplay = WorkflowDefinition(name: "SlowToReplay") { (input: String) async throws -> String in
        var go = false
        Workflow.setSignalHandler("go") { _ in go = true }
        for _ in 0..<8 {
            if Workflow.isReplaying {
                replayThreadNames.record(currentThreadName())
                usleep(400_000)
            }
            try await Workflow.sleep(for: .milliseconds(1))
        }
        try await Workflow.condition { go }
        return input + "-replayed"
    }

    @Test func aReplayLongerThanTheTaskTimeoutHeartbeatsAndCompletes() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("heartbeat")
        let (worker, task) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [Self.slowToReplay], activities: [])
        defer { task.cancel() }
        let handle = try await client.start(
            workflowType: "SlowToReplay", id: TransportTestSupport.uniqueName("heartbeat"), taskQueue: queue,
            args: ["x"], options: WorkflowStartOptions(taskTimeout: .seconds(3)))
        try await WorkerTestSupport.waitUntil {
            try await client.history(handle).filter { $0.eventType == .timerFired }.count == 8
        }
        try await Task.sleep(for: .milliseconds(300))  // the last task completes
        worker.dropCachedRuns()
        try await client.signal(handle, name: "go")
        let result: String = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try await client.result(handle) }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "the run did not finish: its replays time out")
        }
        #expect(result == "x-replayed")
        let names = Self.replayThreadNames.names
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { $0.hasPrefix("wf-replay") }, "replayed on \(Set(names))")
        let events = try await client.history(handle)
        let types = events.map(\.eventType)
        // (A task may still time out on a machine too loaded to answer in 3 s; the run finishing
        // at all is what the heartbeat buys.)
        #expect(!types.contains(.workflowTaskFailed), "\(types)")
        #expect(worker.statistics.workflowTaskHeartbeats >= 1)
        // The heartbeat: a completed task with no commands, directly followed by the next task.
        let heartbeats = zip(types, types.dropFirst()).filter {
            $0 == .workflowTaskCompleted && $1 == .workflowTaskScheduled
        }
        #expect(!heartbeats.isEmpty, "\(types), worker: \(worker.statistics)")
        // Replaying the history with the heartbeat in it gives the same run.
        var history = Temporal_Api_History_V1_History()
        history.events = events
        #expect(try WorkflowReplayer(workflows: [Self.slowToReplay]).replay(history).isEmpty)
    }
}

func currentThreadName() -> String {
    let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return name.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Thread names seen by workflow code (the replayer test above runs on the test's own thread, so
/// only names recorded by the worker are checked: it records before the test replays).
final class NameLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    private var frozen = false
    func record(_ name: String) { lock.withLock { if !frozen { recorded.append(name) } } }
    var names: [String] {
        lock.withLock {
            frozen = true
            return recorded
        }
    }
}
