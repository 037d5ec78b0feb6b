#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The per-run task executor that makes workflow code deterministic.
///
/// It never runs anything by itself: `enqueue` only appends to a FIFO, and the worker drives the
/// run with `runUntilIdle()` on its own thread. Continuations resumed by the worker in history
/// order therefore run in history order. A job enqueued from any other thread (an escape such as
/// `Task {}`, `Task.sleep` or an actor hop) is set aside, never run, and makes the task fail.
final class WorkflowExecutor: TaskExecutor, @unchecked Sendable {
    private let lock = Lock()
    private var queue: [UnownedJob] = []
    private var queueHead = 0
    private var setAside: [UnownedJob] = []
    private var drivingThread: pthread_t?

    /// Number of jobs that arrived from outside the driving thread since the run started.
    var escapedJobCount: Int { lock.withLock { setAside.count } }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.withLock {
            if let driver = drivingThread, pthread_equal(driver, pthread_self()) != 0 {
                queue.append(unowned)
            } else {
                setAside.append(unowned)
            }
        }
    }

    /// Marks the calling thread as the only one allowed to enqueue jobs until `endDriving()`.
    func beginDriving() {
        lock.withLock { drivingThread = pthread_self() }
    }

    func endDriving() {
        lock.withLock { drivingThread = nil }
    }

    /// Runs queued jobs on the calling thread until none are left. Returns the number run.
    @discardableResult
    func runUntilIdle(maxJobs: Int = 1_000_000) -> Int {
        var count = 0
        while count < maxJobs, let job = nextJob() {
            job.runSynchronously(on: asUnownedTaskExecutor())
            count += 1
        }
        return count
    }

    private func nextJob() -> UnownedJob? {
        lock.withLock {
            guard queueHead < queue.count else {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
                return nil
            }
            let job = queue[queueHead]
            queueHead += 1
            return job
        }
    }
}
