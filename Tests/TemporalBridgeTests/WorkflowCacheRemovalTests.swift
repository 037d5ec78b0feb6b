import Testing

@testable import TemporalBridge

/// A task that gives up its run (a stale token, a failed call) drops the entry it drove, never one a
/// later task of the same run has cached since: under load the server times out a slow task and
/// hands its retry to another poll, and the slow one's NOT_FOUND comes back after the retry is done.
@Suite struct WorkflowCacheRemovalTests {
    @Test func aStaleTaskLeavesTheEntryOfTheTaskThatReplacedIt() throws {
        let cache = WorkflowCache(capacity: 4)
        defer { cache.removeAll() }
        let slow = WorkflowCacheAdmissionTests.entry("r")
        cache.insertCheckedOut("r", slow)
        // The retry finds the slow task's entry stale, replaces it and finishes.
        let retry = WorkflowCacheAdmissionTests.entry("r")
        cache.remove(slow)
        cache.insertCheckedOut("r", retry)
        cache.checkIn(retry)
        // The slow task's answer comes back NOT_FOUND: it drops what it drove, only that.
        cache.remove(slow)
        cache.checkIn(slow)
        #expect(slow.run.isEvicted)
        let cached = try #require(cache.checkOut("r"), "the retry's run must stay cached")
        #expect(cached === retry)
        #expect(!retry.run.isEvicted)
        cache.checkIn(cached)
        cache.remove(retry)
        #expect(cache.checkOut("r") == nil)
    }
}
