import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Work a handled task leaves behind, run in the same task once its slot is free: the eager activity a
/// workflow task's completion brought back.
typealias TaskFollowUp = @Sendable () async -> Void

/// One long-poll loop: take a slot, poll, hand the task to `handle` in its own task (which frees
/// the slot, then runs what `handle` left to follow), repeat until cancelled. Transient errors back
/// off (see `PollBackoff`); a fatal one (`WorkerFatalError.isFatal`) ends the loop and is handed to
/// `onFatal`. Each poll is counted in `temporal_num_pollers` while it waits, and its outcome
/// reported to the worker's poll health.
struct TaskPoller<Response: Sendable>: Sendable {
    let name: String
    let kind: PollerKind
    let slots: AsyncSemaphore
    let shared: WorkerSharedState
    /// Polls in flight and the last one that brought a task, for worker heartbeats.
    let figures: PollerFigures
    let poll: @Sendable () async throws -> Response?
    let handle: @Sendable (Response) async -> TaskFollowUp?
    let onFatal: @Sendable (TemporalRPCError) -> Void

    func run() async {
        var backoff = PollBackoff()
        let pollers = shared.metrics.pollers(kind)
        while !Task.isCancelled {
            do {
                try await slots.acquire()
            } catch {
                return
            }
            do {
                pollers.started()
                defer { pollers.ended() }
                figures.pollStarted()
                let polled: Response?
                do {
                    polled = try await poll()
                    figures.pollEnded(gotTask: polled != nil)
                } catch {
                    figures.pollEnded(gotTask: false)
                    throw error
                }
                shared.pollHealth.pollAnswered(by: name)
                countWorkflowPoll(gotTask: polled != nil)
                guard let task = polled else {
                    slots.release()
                    continue
                }
                backoff.reset()
                Task { [slots, handle] in
                    let followUp = await handle(task)
                    slots.release()
                    await followUp?()
                }
            } catch {
                slots.release()
                if Task.isCancelled || error is CancellationError { return }
                if let rpc = error as? TemporalRPCError {
                    if rpc.code == .cancelled { return }
                    if WorkerFatalError.isFatal(rpc) {
                        shared.pollHealth.pollFailed(by: name, error: error)
                        onFatal(rpc)
                        return
                    }
                }
                shared.pollHealth.pollFailed(by: name, error: error)
                let delay = backoff.delay(after: error)
                shared.logger.warning(
                    "poll failed",
                    metadata: ["poller": "\(name)", "error": "\(error)", "retry_in_ms": "\(delay.milliseconds)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func countWorkflowPoll(gotTask: Bool) {
        guard kind != .activity else { return }
        (gotTask ? shared.metrics.workflowPollSucceed : shared.metrics.workflowPollEmpty).increment()
    }
}
