import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// The three races of issue 14, each pinned to the interleaving that lost a wake-up.
@Suite struct WorkerRaceTests {
    /// Waits for `task` at most `limit`; nil when it did not finish in time, after calling `unstick`
    /// (which must make the task finish, so the test itself never hangs).
    private static func value<T: Sendable>(
        of task: Task<T, Never>, within limit: Duration, unstick: @escaping @Sendable () -> Void
    ) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await task.value }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { unstick() }
            group.cancelAll()
            return first
        }
    }

    /// A task cancelled before `acquire` installs its waiter: the cancellation handler runs first
    /// (it finds nothing to remove), then the waiter would be installed and never resumed.
    @Test func acquireByAnAlreadyCancelledTaskThrowsInsteadOfWaitingForever() async throws {
        let semaphore = AsyncSemaphore(permits: 0)
        let acquiring = Task { () -> String in
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await semaphore.acquire()
                return "acquired"
            } catch is CancellationError {
                return "cancelled"
            } catch {
                return "\(error)"
            }
        }
        // On timeout, a release resumes the lost waiter so the test ends.
        let outcome = await Self.value(of: acquiring, within: .seconds(2)) { semaphore.release() }
        #expect(outcome == "cancelled", "a cancelled acquire must throw at once, not wait for a release")
        #expect(semaphore.available == 0)
    }

    /// Cancellation while parked still works, and the permit is not lost.
    @Test func acquireCancelledWhileWaitingThrowsAndLeavesPermitsIntact() async throws {
        let semaphore = AsyncSemaphore(permits: 0)
        let acquiring = Task { () -> Bool in
            (try? await semaphore.acquire()) != nil
        }
        try await Task.sleep(for: .milliseconds(50))
        acquiring.cancel()
        #expect(await Self.value(of: acquiring, within: .seconds(2)) { semaphore.release() } == false)
        semaphore.release()
        #expect(semaphore.available == 1)
    }

    /// A heartbeat response saying "cancel" that lands before the activity handler registered its
    /// cancel hook must still cancel the activity once the hook is registered.
    @Test func cancelRequestedBeforeTheHookIsRegisteredStillCancels() async throws {
        let heartbeater = ActivityHeartbeater(heartbeatTimeout: nil, logger: Logger(label: "test")) { _ in false }
        heartbeater.markCancelRequested()
        let called = Flag()
        heartbeater.onCancelRequested { called.set() }
        #expect(called.isSet, "the cancel request arrived first and was lost")
        heartbeater.stop()
    }

    /// A heartbeat answered NOT_FOUND means the server no longer knows this attempt (timed out,
    /// or the workflow closed): the activity must be cancelled, not left running.
    @Test func heartbeatAnsweredNotFoundCancelsTheActivity() async throws {
        let heartbeater = ActivityHeartbeater(heartbeatTimeout: .seconds(1), logger: Logger(label: "test")) { _ in
            throw TemporalRPCError(
                code: .notFound,
                message: "invalid activityID or activity already timed out or invoking workflow is completed",
                method: "RecordActivityTaskHeartbeat")
        }
        let called = Flag()
        heartbeater.onCancelRequested { called.set() }
        heartbeater.record([])
        let deadline = ContinuousClock.now + .seconds(3)
        while !called.isSet && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(called.isSet, "NOT_FOUND on heartbeat left the activity running")
        heartbeater.stop()
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
