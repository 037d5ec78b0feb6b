import Foundation
import Testing

@testable import TemporalBridge

/// `Worker.readiness`, which the worker's `/readyz` reports: ready only while polling works.
@Suite struct WorkerReadinessTests {
    private static let noop = WorkflowDefinition(name: "ReadinessNoop") { (input: String) async throws -> String in
        input
    }

    @Test func pollHealthIsReadyOnlyWhileRunningAndAnswered() {
        let health = PollHealth()
        #expect(health.readiness(unreachable: nil, target: "t").reason?.contains("not started") == true)
        health.running()
        #expect(health.readiness(unreachable: nil, target: "t").isReady)
        health.pollFailed(by: "activity-0", error: TemporalRPCError(code: .permissionDenied, message: "no"))
        let failing = health.readiness(unreachable: nil, target: "t")
        #expect(!failing.isReady)
        #expect(failing.reason?.contains("activity-0") == true)
        health.pollAnswered(by: "activity-0")
        #expect(health.readiness(unreachable: nil, target: "t").isReady)
        let down = health.readiness(
            unreachable: TemporalRPCError(code: .unavailable, message: "connection refused"), target: "t:1")
        #expect(down.reason == "Temporal at t:1 is unreachable: connection refused")
        health.shuttingDown()
        #expect(health.readiness(unreachable: nil, target: "t").reason?.contains("shutting down") == true)
    }

    @Test func aWorkerPollingTheDevServerIsReady() async throws {
        let connection = try await TransportTestSupport.connect()
        let (worker, task) = WorkerTestSupport.startWorker(
            connection, queue: TransportTestSupport.uniqueName("readiness"), workflows: [Self.noop], activities: [])
        defer { task.cancel() }
        try await WorkerTestSupport.waitUntil(timeout: .seconds(10)) { worker.readiness.isReady }
        worker.shutdown()
        try await task.value
        #expect(worker.readiness.reason?.contains("shutting down") == true)
    }

    /// Nothing listens on 127.0.0.1:7459 (a port kept for these tests): the first failed poll
    /// attempt makes the worker not ready, long before the poll's retries would give up.
    @Test func aWorkerThatCannotReachTemporalIsNotReadyAndSaysWhy() async throws {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: "127.0.0.1:7459", namespace: "default"))
        let (worker, task) = WorkerTestSupport.startWorker(
            connection, queue: TransportTestSupport.uniqueName("readiness"), workflows: [Self.noop], activities: [])
        defer { task.cancel() }
        try await WorkerTestSupport.waitUntil(timeout: .seconds(10)) {
            worker.readiness.reason?.contains("Temporal at 127.0.0.1:7459 is unreachable") == true
        }
        #expect(!worker.readiness.isReady)
    }
}
