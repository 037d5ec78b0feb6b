/// A durable timer started by `Workflow.sleep(for:)`.
final class PendingTimer: @unchecked Sendable {
    let timerId: String
    let duration: Duration
    /// Where the workflow awaits it (for the stack trace).
    let site: WaitSite
    let slot = ResumeSlot<Void>()

    init(timerId: String, duration: Duration, site: WaitSite) {
        self.timerId = timerId
        self.duration = duration
        self.site = site
    }

    var outboxKey: String { "timer:\(timerId)" }
}

extension WorkflowContext {
    func sleep(for duration: Duration, summary: String?, site: WaitSite) async throws {
        let timer = try startTimer(duration, summary: summary, site: site)
        defer { timers[timer.timerId] = nil }
        try await withTaskCancellationHandler {
            try await timer.slot.wait()
        } onCancel: { [self] in
            cancelTimer(timer)
        }
    }

    /// Out of line so the command's temporaries stay out of `sleep`'s async frame, which a waiting
    /// run keeps in memory.
    @inline(never)
    private func startTimer(_ duration: Duration, summary: String?, site: WaitSite) throws -> PendingTimer {
        try checkCanStartOperation()
        let timerId = String(nextTimerSeq)
        let timer = PendingTimer(timerId: timerId, duration: duration, site: site)
        var attributes = Temporal_Api_Command_V1_StartTimerCommandAttributes()
        attributes.timerID = timerId
        attributes.startToFireTimeout = .init(rounding: duration)
        var command = Temporal_Api_Command_V1_Command()
        command.commandType = .startTimer
        command.startTimerCommandAttributes = attributes
        if let summary { command.userMetadata.summary = try WorkflowPayloads.encode(summary) }
        nextTimerSeq += 1
        timers[timerId] = timer
        outbox.append(key: timer.outboxKey, command)
        return timer
    }

    func cancelTimer(_ timer: PendingTimer) {
        guard !timer.slot.isResolved, !evicted else { return }
        if !outbox.drop(key: timer.outboxKey) {
            var attributes = Temporal_Api_Command_V1_CancelTimerCommandAttributes()
            attributes.timerID = timer.timerId
            var command = Temporal_Api_Command_V1_Command()
            command.commandType = .cancelTimer
            command.cancelTimerCommandAttributes = attributes
            outbox.append(key: "cancel-timer:\(timer.timerId)", command)
        }
        timer.slot.resolve(.failure(CancellationError()))
    }

    func timerFired(timerId: String) {
        timers[timerId]?.slot.resolve(.success(()))
    }
}
