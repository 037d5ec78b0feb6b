import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One long-poll loop: take a slot, poll, hand the task to `handle` in its own task (which frees
/// the slot), repeat until cancelled. Transient errors back off (see `PollBackoff`); a fatal one
/// (`WorkerFatalError.isFatal`) ends the loop and is handed to `onFatal`.
struct TaskPoller<Response: Sendable>: Sendable {
    let name: String
    let slots: AsyncSemaphore
    let logger: Logger
    let poll: @Sendable () async throws -> Response?
    let handle: @Sendable (Response) async -> Void
    let onFatal: @Sendable (TemporalRPCError) -> Void

    func run() async {
        var backoff = PollBackoff()
        while !Task.isCancelled {
            do {
                try await slots.acquire()
            } catch {
                return
            }
            do {
                guard let task = try await poll() else {
                    slots.release()
                    continue
                }
                backoff.reset()
                Task { [slots, handle] in
                    defer { slots.release() }
                    await handle(task)
                }
            } catch {
                slots.release()
                if Task.isCancelled || error is CancellationError { return }
                if let rpc = error as? TemporalRPCError {
                    if rpc.code == .cancelled { return }
                    if WorkerFatalError.isFatal(rpc) {
                        onFatal(rpc)
                        return
                    }
                }
                let delay = backoff.delay(after: error)
                logger.warning(
                    "poll failed",
                    metadata: ["poller": "\(name)", "error": "\(error)", "retry_in_ms": "\(delay.milliseconds)"])
                try? await Task.sleep(for: delay)
            }
        }
    }
}
