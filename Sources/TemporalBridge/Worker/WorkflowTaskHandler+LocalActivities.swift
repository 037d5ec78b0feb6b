import Logging

/// The part of a workflow task that runs its local activities: started as the workflow asks for
/// them, each outcome fed back to the run (which records its marker and runs the code on), until
/// none is left; past 80 % of the task timeout the task is heartbeated (see WorkflowTaskHeartbeat)
/// and the activities keep running into the task the server hands back.
extension WorkflowTaskHandler {
    /// False when the task was given up (a heartbeat got no task back): the run is then dropped.
    func runLocalActivities(
        _ entry: CachedWorkflow, activation: inout Activation,
        current: inout Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueResponse,
        currentReceived: inout ContinuousClock.Instant, logger: Logger
    ) async throws -> Bool {
        let mailbox = LocalActivityMailbox()
        var running: [Int: Task<Void, Never>] = [:]
        defer { for task in running.values { task.cancel() } }
        var requests = activation.localActivities
        activation.localActivities = []
        var cancels: [Int] = []
        var awaiting = true
        while true {
            for request in requests {
                running[request.seq] = Task { [shared] in
                    let started = ContinuousClock.now
                    let outcome = await LocalActivityExecution.run(request, shared: shared)
                    mailbox.deliver(seq: request.seq, outcome: outcome, runtime: .now - started)
                }
            }
            requests = []
            for seq in cancels { running.removeValue(forKey: seq)?.cancel() }
            cancels = []
            if running.isEmpty || !awaiting { return true }
            let beat = currentReceived + entry.workflowTaskTimeout * WorkflowTaskHeartbeat.fraction
            guard let done = await mailbox.next(until: beat) else {
                logger.info(
                    "workflow task heartbeat: local activities still running", metadata: ["running": "\(running.count)"]
                )
                shared.count { $0.workflowTaskHeartbeats += 1 }
                guard
                    let next = try await WorkflowTaskHeartbeat.send(
                        current, shared: shared, until: currentReceived + entry.workflowTaskTimeout)
                else {
                    logger.warning("workflow task heartbeat returned no new task; the next one comes by poll")
                    return false
                }
                current = next
                currentReceived = .now
                let earlier = activation
                activation = try await shared.replayThreads.run {
                    try Self.activate(entry, events: next.history.events, task: next)
                }
                activation.merge(after: earlier)
                requests = activation.localActivities
                activation.localActivities = []
                let step = try await Self.localActivityState(entry, shared: shared)
                cancels = step.cancels
                awaiting = step.awaiting
                continue
            }
            running[done.seq] = nil
            guard let outcome = done.outcome else { continue }
            let step = try await shared.replayThreads.run {
                try entry.lock.withLock {
                    let commands = try entry.run.resolveLocalActivity(
                        seq: done.seq, outcome: outcome, runtime: done.runtime)
                    return LocalActivityStep(
                        commands: commands, flags: entry.run.takeCoreFlagsToRecord(),
                        requests: entry.run.takeLocalActivityRequests(), cancels: entry.run.takeLocalActivityCancels(),
                        awaiting: entry.run.hasRunningLocalActivities)
                }
            }
            activation.commands = step.commands
            activation.coreUsedFlags += step.flags
            requests = step.requests
            cancels = step.cancels
            awaiting = step.awaiting
        }
    }

    private static func localActivityState(_ entry: CachedWorkflow, shared: WorkerSharedState) async throws
        -> LocalActivityStep
    {
        try await shared.replayThreads.run {
            entry.lock.withLock {
                LocalActivityStep(
                    commands: [], flags: [], requests: [], cancels: entry.run.takeLocalActivityCancels(),
                    awaiting: entry.run.hasRunningLocalActivities)
            }
        }
    }
}

/// What one local activity's outcome changed in the run.
private struct LocalActivityStep: Sendable {
    var commands: [Temporal_Api_Command_V1_Command]
    var flags: [UInt32]
    var requests: [LocalActivityRequest]
    var cancels: [Int]
    /// False once the workflow waits on no running local activity (it finished, or cancelled them).
    var awaiting: Bool
}

extension WorkflowTaskHandler.Activation {
    /// This activation continued the run after `earlier` in the same task (a heartbeat): the
    /// flags and local activities of both count.
    mutating func merge(after earlier: Self) {
        coreUsedFlags = earlier.coreUsedFlags + coreUsedFlags
        localActivities = earlier.localActivities + localActivities
        if queryResults.isEmpty { queryResults = earlier.queryResults }
    }
}

/// Outcomes of a task's local activities, awaited one at a time with a deadline.
final class LocalActivityMailbox: @unchecked Sendable {
    struct Delivery: Sendable {
        let seq: Int
        /// Nil when the worker stopped the activity.
        let outcome: LocalActivityOutcome?
        let runtime: Duration
    }

    private let lock = Lock()
    private var delivered: [Delivery] = []
    private var waiter: CheckedContinuation<Delivery?, Never>?
    private var timer: Task<Void, Never>?
    /// Counts `next` calls, so a late timer never wakes a later wait.
    private var generation = 0

    func deliver(seq: Int, outcome: LocalActivityOutcome?, runtime: Duration) {
        let delivery = Delivery(seq: seq, outcome: outcome, runtime: runtime)
        let (resumed, stopped): (CheckedContinuation<Delivery?, Never>?, Task<Void, Never>?) = lock.withLock {
            guard let waiter else {
                delivered.append(delivery)
                return (nil, nil)
            }
            self.waiter = nil
            defer { timer = nil }
            return (waiter, timer)
        }
        stopped?.cancel()
        resumed?.resume(returning: delivery)
    }

    /// The next outcome, or nil when `deadline` comes first. One waiter at a time.
    func next(until deadline: ContinuousClock.Instant) async -> Delivery? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Delivery?, Never>) in
            let ready: Delivery?? = lock.withLock {
                if !delivered.isEmpty { return .some(delivered.removeFirst()) }
                waiter = continuation
                generation += 1
                let current = generation
                timer = Task { [self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    let expired = lock.withLock { () -> CheckedContinuation<Delivery?, Never>? in
                        guard generation == current else { return nil }
                        defer { waiter = nil }
                        return waiter
                    }
                    expired?.resume(returning: nil)
                }
                return .none
            }
            if case .some(let delivery) = ready { continuation.resume(returning: delivery) }
        }
    }
}
