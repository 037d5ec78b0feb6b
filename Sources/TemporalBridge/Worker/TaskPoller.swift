import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One long-poll loop: take a slot, poll, hand the task to `handle` in its own task (which frees
/// the slot), repeat until cancelled. Errors back off instead of spinning.
struct TaskPoller<Response: Sendable>: Sendable {
    let name: String
    let slots: AsyncSemaphore
    /// Polls in flight and the last one that brought a task, for worker heartbeats.
    let figures: PollerFigures
    let logger: Logger
    let poll: @Sendable () async throws -> Response?
    let handle: @Sendable (Response) async -> Void

    func run() async {
        var backoff: Duration = .milliseconds(200)
        while !Task.isCancelled {
            do {
                try await slots.acquire()
            } catch {
                return
            }
            do {
                figures.pollStarted()
                let polled: Response?
                do {
                    polled = try await poll()
                    figures.pollEnded(gotTask: polled != nil)
                } catch {
                    figures.pollEnded(gotTask: false)
                    throw error
                }
                guard let task = polled else {
                    slots.release()
                    continue
                }
                backoff = .milliseconds(200)
                Task { [slots, handle] in
                    defer { slots.release() }
                    await handle(task)
                }
            } catch {
                slots.release()
                if Task.isCancelled || error is CancellationError { return }
                if let rpc = error as? TemporalRPCError, rpc.code == .cancelled { return }
                logger.warning("poll failed", metadata: ["poller": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }
}
