import Testing

@testable import TemporalBridge

/// An activity task's code runs in its handling task and is stopped by cancelling that task: only while the code
/// runs (a stop before it starts cancels it as it starts, one after it ended leaves the task alone), and shutdown
/// can wait for the code's end.
@Suite("Stopping code in the calling task")
struct CallingTaskStopperTests {
    @Test func aStopWhileTheCodeRunsCancelsItAndTheCallingTask() async throws {
        let stopper = CallingTaskStopper()
        let handling = Task {
            let stopped = await stopper.run { () async -> Bool in
                (try? await Task.sleep(for: .seconds(30))) == nil
            }
            return (stopped, Task.isCancelled)
        }
        try await Task.sleep(for: .milliseconds(50))
        stopper.stop()
        let (stopped, cancelledAfter) = await handling.value
        #expect(stopped)
        #expect(cancelledAfter)
    }

    @Test func aStopBeforeTheCodeStartsCancelsItAtOnce() async {
        let stopper = CallingTaskStopper()
        stopper.stop()
        let sawCancel = await Task { await stopper.run { Task.isCancelled } }.value
        #expect(sawCancel)
    }

    @Test func aStopAfterTheCodeEndedLeavesTheCallingTaskAlone() async {
        let stopper = CallingTaskStopper()
        let cancelledAfter = await Task {
            let value = await stopper.run { 7 }
            stopper.stop()
            return value == 7 && Task.isCancelled
        }.value
        #expect(!cancelledAfter)
    }

    @Test func endedWaitsForTheCodeAndReturnsAtOnceAfterIt() async throws {
        let stopper = CallingTaskStopper()
        let release = AsyncStream<Void>.makeStream()
        let handling = Task { await stopper.run { for await _ in release.stream {} } }
        let waiter = Task {
            await stopper.ended()
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(50))
        let released = ContinuousClock.now
        release.continuation.finish()
        await handling.value
        #expect(await waiter.value >= released)
        await stopper.ended()  // already ended: returns at once
    }
}
