import Foundation

/// A blocking C client connection (libpq, hiredis) that lives on one dedicated thread: made there,
/// used there, dropped there. `SendableMetatype`: the thread's closure names the type to make one.
public protocol ThreadOwnedConnection: AnyObject, SendableMetatype {
    func drop(reason: String?)
}

/// A dedicated OS thread that owns one connection and runs jobs against it one at a time, in order.
/// Callers suspend on a continuation while the C library blocks on this thread, so Swift's
/// cooperative pool is never blocked by network I/O.
///
/// The thread starts with the first job: a pool sized for its busiest moment keeps no idle threads
/// (each with its stack and, once it allocates, its own malloc arena) for slots it never uses.
public final class ConnectionThread<Connection: ThreadOwnedConnection>: @unchecked Sendable {
    public typealias Job = (Connection) -> Void

    private let name: String
    private let makeConnection: @Sendable () -> Connection
    // `condition` guards `started`, `jobs`, `stopping`, `stopped` and `stopWaiters`.
    private let condition = NSCondition()
    private var started = false
    private var jobs: [Job] = []
    private var stopping = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []

    /// `makeConnection` runs on the thread once it starts, so the connection never leaves it.
    public init(name: String, makeConnection: @escaping @Sendable () -> Connection) {
        self.name = name
        self.makeConnection = makeConnection
    }

    /// Queues `job`, starting the thread if this is its first; false once the thread is stopping (the job will
    /// never run).
    public func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        guard !stopping else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        let starting = !started
        started = true
        condition.unlock()
        // Signalled after unlocking: a thread woken while the lock is still held would only wake to block on it,
        // and unlocking would then cost a second wake-up (a futex call on each side, per job).
        if starting { startThread() } else { condition.signal() }
        return true
    }

    /// Whether the thread was ever started (it is started by the first job).
    public var isStarted: Bool {
        condition.lock()
        defer { condition.unlock() }
        return started
    }

    private func startThread() {
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set from another thread does not reach the OS thread.
            Thread.current.name = self.name
            self.serve(self.makeConnection())
        }
        thread.start()
    }

    /// Finishes the queued jobs, closes the connection and ends the thread; returns when done.
    public func stop() async {
        await withCheckedContinuation { continuation in
            condition.lock()
            stopping = true
            if !started { stopped = true }
            if stopped {
                condition.unlock()
                continuation.resume()
                return
            }
            stopWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    /// Asks the thread to end without waiting (from `deinit` of an unclosed owner).
    public func requestStop() {
        condition.lock()
        if !started { stopped = true }
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func serve(_ connection: Connection) {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                // Stopping, and every queued job has run.
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(connection)
        }
        connection.drop(reason: nil)
        condition.lock()
        stopped = true
        let waiters = stopWaiters
        stopWaiters = []
        condition.unlock()
        waiters.forEach { $0.resume() }
    }
}
