#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A few threads of the worker's own that run workflow code: activations, replays and queries.
///
/// Workflow code runs synchronously until it waits (the deterministic runtime drives it to
/// quiescence), and a replay of a long history keeps a thread for as long as it takes. On the
/// cooperative pool (one thread per core) two such replays would starve the pollers and the gRPC
/// resumptions; here they only queue behind each other. Callers wait through a continuation.
final class ReplayThreads: @unchecked Sendable {
    // Allocated, so their addresses never move (pthread objects must not be copied).
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [() -> Void] = []
    private var head = 0
    private var stopping = false
    let count: Int

    init(count: Int, name: String = "wf-replay") {
        self.count = max(1, count)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for index in 0..<self.count {
            let box = Unmanaged.passRetained(ThreadStart(pool: self, name: "\(name)-\(index)"))
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { raw in
                    let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
                    start.run()
                    return nil
                }, box.toOpaque())
            precondition(created == 0, "cannot start a replay thread: \(created)")
            pthread_detach(thread)
        }
    }

    /// Runs `body` on one of the threads; the caller's task waits without holding a thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Queues `body` and returns at once; its result can be awaited with a deadline.
    func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> PendingResult<T> {
        let pending = PendingResult<T>()
        enqueue { pending.finish(Result { try body() }) }
        return pending
    }

    /// Lets the threads exit once the queued jobs are done.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    private func enqueue(_ job: @escaping () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)  // after unlocking, so the woken thread does not wake only to wait for the lock
    }

    fileprivate func work() {
        while true {
            pthread_mutex_lock(mutex)
            while head == jobs.count && !stopping { pthread_cond_wait(condition, mutex) }
            if head == jobs.count {
                pthread_mutex_unlock(mutex)
                return
            }
            let job = jobs[head]
            head += 1
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            pthread_mutex_unlock(mutex)
            job()
        }
    }
}

private final class ThreadStart {
    let pool: ReplayThreads
    let name: String
    init(pool: ReplayThreads, name: String) {
        self.pool = pool
        self.name = name
    }

    func run() {
        #if os(Linux)
            // What pthread_setname_np does (it is not exported to Swift): name the thread in
            // /proc, where top, gdb and perf show it.
            let fd = open("/proc/thread-self/comm", O_WRONLY)
            if fd >= 0 {
                let bytes = Array(name.utf8.prefix(15))
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        #endif
        pool.work()
    }
}

/// The result of a job on the replay threads, awaited with or without a deadline.
final class PendingResult<T: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var result: Result<T, any Error>?
    private var waiters: [Int: CheckedContinuation<Result<T, any Error>?, Never>] = [:]
    private var timers: [Int: Task<Void, Never>] = [:]
    private var lastId = 0

    fileprivate func finish(_ value: Result<T, any Error>) {
        let (resumed, stopped) = lock.withLock {
            result = value
            defer {
                waiters.removeAll()
                timers.removeAll()
            }
            return (Array(waiters.values), Array(timers.values))
        }
        for timer in stopped { timer.cancel() }
        for waiter in resumed { waiter.resume(returning: value) }
    }

    /// The result, or nil when `deadline` comes first (the job keeps running).
    func wait(until deadline: ContinuousClock.Instant) async -> Result<T, any Error>? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let ready: Result<T, any Error>?? = lock.withLock {
                if let result { return .some(result) }
                lastId += 1
                let id = lastId
                waiters[id] = continuation
                timers[id] = Task { [self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    let waiter = lock.withLock { () -> CheckedContinuation<Result<T, any Error>?, Never>? in
                        timers[id] = nil
                        return waiters.removeValue(forKey: id)
                    }
                    waiter?.resume(returning: nil)
                }
                return .none
            }
            if case .some(let value) = ready { continuation.resume(returning: value) }
        }
    }

    /// The result, however long the job takes.
    func value() async -> Result<T, any Error> {
        while true {
            if let result = await wait(until: .now + .seconds(3_600)) { return result }
        }
    }
}
