import Logging
import Testing

@testable import TemporalBridge

/// The normal queue's pollers take new runs only while the sticky cache has room for them
/// (`WorkflowCache.admitNewRun`): a worker that comes back to a backlog must not take on runs faster
/// than it finishes them, evicting runs mid-flight whose next task would then replay the whole history.
@Suite struct WorkflowCacheAdmissionTests {
    static let idle = WorkflowDefinition(name: "Idle") { (_: String) async throws -> String in "" }

    static func entry(_ runId: String) -> CachedWorkflow {
        CachedWorkflow(
            run: WorkflowRun(
                definition: idle, namespace: "default", workflowId: "wf-\(runId)", runId: runId,
                logger: Logger(label: "test")))
    }

    /// Polls, brings `runId`'s task, and caches the run as its task would.
    static func arrive(_ cache: WorkflowCache, _ runId: String) async throws -> CachedWorkflow {
        try await cache.admitNewRun(idle: .seconds(10), interval: .milliseconds(5))
        cache.endAdmission(bringing: runId)
        let entry = Self.entry(runId)
        cache.insertCheckedOut(runId, entry)
        return entry
    }

    /// A cache of 2 and three runs wanting in: the third waits until one of the two finishes, and
    /// neither of the two (idle a moment between their tasks) is evicted for it.
    @Test func thirdRunWaitsForRoomInsteadOfEvictingARunInFlight() async throws {
        let cache = WorkflowCache(capacity: 2)
        defer { cache.removeAll() }
        let a = try await Self.arrive(cache, "a")
        let b = try await Self.arrive(cache, "b")
        cache.checkIn(a)  // between two tasks: idle, but in flight
        cache.checkIn(b)
        #expect(!cache.hasRoomForNewRun(idle: .seconds(10)))
        let third = Task { try await Self.arrive(cache, "c") }
        try await Task.sleep(for: .milliseconds(100))
        #expect(cache.count == 2, "the third run must wait, not evict a run in flight")
        // Both runs are still cached: their next tasks are hits.
        let again = try #require(cache.checkOut("a"))
        cache.checkIn(again)
        #expect(cache.checkOut("b") != nil)
        // "a" finishes and leaves: "c" comes in.
        cache.remove(a)
        let c = try await third.value
        #expect(cache.count == 2)
        cache.checkIn(c)
        #expect(cache.peakCount == 2)
    }

    @Test func roomCountsAdmittedPollsAndArrivingRuns() async throws {
        let cache = WorkflowCache(capacity: 2)
        defer { cache.removeAll() }
        try await cache.admitNewRun(idle: .seconds(10))
        try await cache.admitNewRun(idle: .seconds(10))
        // Two polls out for a cache of 2: a third waits though the cache itself is empty.
        #expect(!cache.hasRoomForNewRun(idle: .seconds(10)))
        cache.endAdmission(bringing: nil)  // a poll that came back empty gives its room back
        #expect(cache.hasRoomForNewRun(idle: .seconds(10)))
        cache.endAdmission(bringing: "x")  // a new run on its way keeps its room ...
        try await cache.admitNewRun(idle: .seconds(10))
        #expect(!cache.hasRoomForNewRun(idle: .seconds(10)))
        cache.arrivalEnded("x")  // ... until its task ends without caching it
        #expect(cache.hasRoomForNewRun(idle: .seconds(10)))
        cache.endAdmission(bringing: nil)
    }

    @Test func aRunIdleLongerThanTheBoundMakesRoom() async throws {
        let cache = WorkflowCache(capacity: 1)
        defer { cache.removeAll() }
        let only = try await Self.arrive(cache, "a")
        // Held by its task: never counts as room.
        try await Task.sleep(for: .milliseconds(60))
        #expect(!cache.hasRoomForNewRun(idle: .milliseconds(50)))
        cache.checkIn(only)
        #expect(!cache.hasRoomForNewRun(idle: .milliseconds(50)))
        try await Task.sleep(for: .milliseconds(100))
        #expect(cache.hasRoomForNewRun(idle: .milliseconds(50)))
        #expect(!cache.hasRoomForNewRun(idle: .seconds(10)))
        // Not while tasks wait on the sticky queue: the run is idle because this worker is behind.
        cache.recordStickyBacklog(3)
        #expect(!cache.hasRoomForNewRun(idle: .milliseconds(50)))
        cache.recordStickyBacklog(0)
        #expect(cache.hasRoomForNewRun(idle: .milliseconds(50)))
        // One idle run makes room for one new run, not for every poll that asks.
        try await cache.admitNewRun(idle: .milliseconds(50))
        #expect(!cache.hasRoomForNewRun(idle: .milliseconds(50)))
        cache.endAdmission(bringing: nil)
        #expect(cache.hasRoomForNewRun(idle: .milliseconds(50)))
    }

    @Test func admissionEndsWhenCancelled() async throws {
        let cache = WorkflowCache(capacity: 1)
        defer { cache.removeAll() }
        let only = Self.entry("a")
        cache.insertCheckedOut("a", only)
        let waiter = Task { try await cache.admitNewRun(idle: .seconds(60), interval: .milliseconds(5)) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        cache.checkIn(only)
    }
}
