import Foundation
import Logging
import Synchronization

/// A bounded pool of PostgreSQL connections, each owned by its own thread (`ConnectionWorker`).
///
/// - Statements are always parameterised (`PQexecParams`, `$1...$n`).
/// - A connection that broke (server restart, terminated backend, network) is dropped and the
///   next statement on that slot opens a fresh one, so the pool outlives a server restart.
/// - Waiting for a free connection is bounded by `acquireTimeout` and ends early when the
///   waiting task is cancelled.
/// - Every connection carries the configuration's `Limits` (statement and lock timeouts, TCP
///   keepalives, `tcp_user_timeout`), and the client gives up on an answer that does not come in time.
public final class PostgresPool: Sendable {
    public let maxConnections: Int
    public let acquireTimeout: Duration
    private let workers: [ConnectionWorker]
    private let state: Mutex<PoolState>
    private let logger: Logger

    /// `acquireTimeout` nil: the configuration's `limits.acquireTimeout`.
    public init(
        configuration: PostgresConfiguration, maxConnections: Int = 8, acquireTimeout: Duration? = nil,
        logger: Logger
    ) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout ?? configuration.limits.acquireTimeout
        self.logger = logger
        let workers = (0..<maxConnections).map {
            ConnectionWorker(index: $0, configuration: configuration, logger: logger)
        }
        self.workers = workers
        self.state = Mutex(PoolState(idle: Array(workers.indices.reversed())))
    }

    deinit {
        workers.forEach { $0.requestStop() }
    }

    /// Runs one statement outside an explicit transaction and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ params: [PostgresBind] = []) async throws -> [PostgresRow] {
        try await withWorker { worker in
            try await worker.perform { connection in try connection.execute(sql, params).rows }
        }
    }

    /// Runs one statement outside an explicit transaction and returns the number of affected rows.
    @discardableResult
    public func execute(_ sql: String, _ params: [PostgresBind] = []) async throws -> Int {
        try await withWorker { worker in
            try await worker.perform { connection in try connection.execute(sql, params).affectedRows }
        }
    }

    /// Runs `body` inside BEGIN ... COMMIT on one connection; any error thrown (including a
    /// failed COMMIT or cancellation) rolls the transaction back and is rethrown.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @Sendable (PostgresTransaction) async throws -> T) async throws
        -> T
    {
        try await withWorker { worker in
            let transaction = PostgresTransaction(worker: worker, generation: try await begin(on: worker))
            do {
                let result = try await body(transaction)
                try await transaction.commit()
                return result
            } catch {
                do {
                    try await transaction.rollback()
                } catch let rollbackError {
                    logger.warning("could not roll back", metadata: ["error": "\(rollbackError)"])
                }
                throw error
            }
        }
    }

    /// Runs `body` inside BEGIN ... COMMIT as one job on the connection's own thread, for
    /// transactions that are SQL only (nothing to await between statements). Every statement of
    /// `withTransaction` is a hand-over to that thread and back; on a busy machine each hand-over
    /// waits for a core, which made those hand-overs most of an order activity's time. Here the
    /// caller waits once. Cancellation is checked before BEGIN; a started transaction runs to its end.
    @discardableResult
    public func withSynchronousTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresSynchronousTransaction) throws -> T
    ) async throws -> T {
        try Task.checkCancellation()
        return try await withWorker { worker in
            try await worker.perform { connection in try connection.runTransaction(body) }
        }
    }

    /// Checks that the database answers.
    public func ping() async throws {
        try await query("SELECT 1")
    }

    /// Fails every waiter, closes all connections and ends the worker threads.
    public func close() async {
        let waiters = state.withLock { state -> [PoolState.Waiter] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(
                throwing: PostgresError(kind: .poolClosed, message: "the connection pool is closed"))
        }
        for worker in workers { await worker.stop() }
    }

    // MARK: - leasing

    private func withWorker<T: Sendable>(_ body: (ConnectionWorker) async throws -> T) async throws -> T {
        let worker = try await acquire()
        defer { release(worker) }
        return try await body(worker)
    }

    /// BEGIN, returning the generation of the connection it ran on. If BEGIN fails because the
    /// connection was dead, nothing has run yet, so it is safe to try once more on a fresh one.
    private func begin(on worker: ConnectionWorker) async throws -> Int {
        let begin: @Sendable (PostgresConnection) throws -> Int = { connection in
            _ = try connection.execute("BEGIN", [])
            return connection.generation
        }
        do {
            return try await worker.perform(begin)
        } catch let error as PostgresError where error.breaksConnection {
            logger.info("retrying BEGIN on a fresh connection", metadata: ["error": "\(error)"])
            return try await worker.perform(begin)
        }
    }

    private func acquire() async throws -> ConnectionWorker {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let index = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                enum Decision { case take(Int), fail(any Error), wait }
                let decision = state.withLock { state -> Decision in
                    if state.closed {
                        return .fail(PostgresError(kind: .poolClosed, message: "the connection pool is closed"))
                    }
                    // Cancellation may have happened before we registered; the handler then found nothing to cancel.
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if let index = state.idle.popLast() { return .take(index) }
                    state.waiters.append(PoolState.Waiter(id: id, continuation: continuation, timer: nil))
                    return .wait
                }
                switch decision {
                case .take(let index): continuation.resume(returning: index)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: startTimer(for: id)
                }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
        return workers[index]
    }

    private func startTimer(for id: UInt64) {
        let timeout = acquireTimeout
        let maxConnections = maxConnections
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self?.failWaiter(
                id,
                with: PostgresError(
                    kind: .poolTimeout,
                    message: "no database connection became free within \(timeout) (pool size \(maxConnections))"))
        }
        let registered = state.withLock { state -> Bool in
            guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
            state.waiters[position].timer = timer
            return true
        }
        if !registered { timer.cancel() }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> PoolState.Waiter? in
            guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: position)
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(throwing: error)
    }

    private func release(_ worker: ConnectionWorker) {
        let waiter = state.withLock { state -> PoolState.Waiter? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(worker.index)
            return nil
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(returning: worker.index)
    }
}

/// The pool's bookkeeping, guarded by its mutex.
struct PoolState: Sendable {
    struct Waiter: Sendable {
        let id: UInt64
        let continuation: CheckedContinuation<Int, any Error>
        var timer: Task<Void, Never>?
    }

    /// Indices of workers not leased to anyone.
    var idle: [Int]
    /// Callers waiting for a worker, first come first served.
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var closed = false
}
