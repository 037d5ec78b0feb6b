import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Sends an activity's heartbeats, at most one per interval, latest details first; reports a
/// server-side cancel request through `onCancelRequested`.
///
/// A heartbeat answered NOT_FOUND means the server no longer has this attempt (it timed out, or
/// the workflow closed or was reset): that cancels the activity too, and `isTaskGone` tells the
/// handler not to report a result nobody will take.
final class ActivityHeartbeater: @unchecked Sendable {
    typealias Send = @Sendable ([Temporal_Api_Common_V1_Payload]) async throws -> Bool

    private let lock = Lock()
    private let interval: Duration
    private let send: Send
    private let logger: Logger
    private var pending: [Temporal_Api_Common_V1_Payload]?
    private var lastSent: ContinuousClock.Instant?
    private var flushTask: Task<Void, Never>?
    private var stopped = false
    private var _cancelRequested = false
    private var _taskGone = false
    private var _lastDetails: [Temporal_Api_Common_V1_Payload] = []
    private var onCancel: (@Sendable () -> Void)?

    /// `heartbeatTimeout` nil → 30 s default, throttled to 0.8 × of it.
    init(heartbeatTimeout: Duration?, logger: Logger, send: @escaping Send) {
        self.interval = (heartbeatTimeout ?? .seconds(30)) * 0.8
        self.logger = logger
        self.send = send
    }

    var cancelRequested: Bool { lock.withLock { _cancelRequested } }
    /// True once a heartbeat was answered NOT_FOUND.
    var isTaskGone: Bool { lock.withLock { _taskGone } }
    var lastDetails: [Temporal_Api_Common_V1_Payload] { lock.withLock { _lastDetails } }

    /// Registers what cancels the activity. A cancel that arrived before registration runs it at once.
    func onCancelRequested(_ handler: @escaping @Sendable () -> Void) {
        let alreadyRequested = lock.withLock {
            onCancel = handler
            return _cancelRequested
        }
        if alreadyRequested { handler() }
    }

    func record(_ details: [Temporal_Api_Common_V1_Payload]) {
        lock.withLock {
            guard !stopped else { return }
            pending = details
            _lastDetails = details
            if flushTask == nil {
                flushTask = Task { [self] in await flushLoop() }
            }
        }
    }

    func stop() {
        let task = lock.withLock { () -> Task<Void, Never>? in
            stopped = true
            return flushTask
        }
        task?.cancel()
    }

    private func flushLoop() async {
        while !Task.isCancelled {
            let wait: Duration = lock.withLock {
                guard let lastSent else { return .zero }
                let next = lastSent.advanced(by: interval)
                return max(.zero, ContinuousClock.now.duration(to: next))
            }
            if wait > .zero {
                do { try await Task.sleep(for: wait) } catch { break }
            }
            let details: [Temporal_Api_Common_V1_Payload]? = lock.withLock {
                let details = pending
                pending = nil
                if details == nil { flushTask = nil } else { lastSent = .now }
                return details
            }
            guard let details else { return }
            do {
                if try await send(details) { markCancelRequested() }
            } catch is CancellationError {
                break
            } catch let error as TemporalRPCError where error.code == .notFound {
                logger.info(
                    "heartbeat: the server no longer has this activity task; cancelling the activity",
                    metadata: ["error": "\(error.message)"])
                lock.withLock {
                    _taskGone = true
                    stopped = true
                }
                markCancelRequested()
                break
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
        lock.withLock { flushTask = nil }
    }

    func markCancelRequested() {
        let handler = lock.withLock { () -> (@Sendable () -> Void)? in
            _cancelRequested = true
            return onCancel
        }
        handler?()
    }
}
