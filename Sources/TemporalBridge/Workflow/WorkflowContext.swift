import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The state of one workflow run as seen by workflow code: pending activities, timers and
/// conditions, handlers, and the commands not yet matched by history.
///
/// Only the thread driving the run touches it (event application, `runUntilIdle`, queries), so it
/// needs no lock; `@unchecked Sendable` lets the workflow's child tasks and cancellation handlers
/// reach it.
final class WorkflowContext: @unchecked Sendable {
    @TaskLocal static var current: WorkflowContext?

    let info: WorkflowInfo
    var now: Date
    var isReplaying = true
    var random: WorkflowRandom
    let replayFlag = ReplayFlag()
    private let baseLogger: Logger
    /// Made on first use: most runs never log, and a cached run should cost little memory.
    private(set) lazy var logger: Logger = makeWorkflowLogger()

    var outbox = CommandOutbox()
    /// Set by the run before any workflow code executes.
    var executor: WorkflowExecutor!
    var cancelRequested = false
    var evicted = false
    /// Set once the workflow function returned or threw.
    var completion: Result<Temporal_Api_Common_V1_Payload, any Error>?
    /// Set when the workflow did something the runtime must fail the task for.
    var taskFailure: (any Error)?

    var nextActivitySeq = 1
    var activities: [Int: PendingActivity] = [:]
    var activitySeqByScheduledEventId: [Int64: Int] = [:]
    /// Local activities by sequence number (shared with `nextActivitySeq`).
    var localActivities: [Int: PendingLocalActivity] = [:]
    /// Executing local activities the workflow stopped waiting for, for the worker to cancel.
    var localActivityCancels: [Int] = []

    var nextTimerSeq = 1
    var timers: [String: PendingTimer] = [:]

    var nextConditionId = 1
    var conditions: [ConditionWaiter] = []

    var signalHandlers: [String: SignalHandler] = [:]
    /// Signals that arrived before their handler; at most `maxBufferedSignals`.
    var bufferedSignals: [(name: String, arguments: WorkflowArguments)] = []
    var queryHandlers: [String: QueryHandler] = [:]
    /// Names in registration order, for the metadata query.
    var signalNames: [String] = []
    var queryNames: [String] = []
    var signalDescriptions: [String: String] = [:]
    /// Markdown set by workflow code (`Workflow.currentDetails`), answered by the metadata query.
    var currentDetails = ""
    /// When set (`Workflow.setCurrentDetails`), renders the current details at query time instead.
    var currentDetailsRenderer: (() -> String)?
    /// The server's view of running activities while a built-in query is answered; empty otherwise,
    /// so workflow code never sees it.
    var queryTimeActivities: [String: LiveActivityAttempt] = [:]

    var patches = PatchState()

    /// Activity status hooks: the type of the most recently scheduled activity and its attempt.
    var activityObservers: [(ActivityStatus) -> Void] = []

    /// Signals kept for a handler that is not registered yet (the server's own default limit of
    /// signals per execution), and activity observers a run may register.
    static let maxBufferedSignals = 10_000
    static let maxActivityObservers = 100

    /// `seedRunId`: the run id the workflow started with (its original execution run id).
    init(info: WorkflowInfo, now: Date, seedRunId: String, logger: Logger) {
        self.info = info
        self.now = now
        self.random = WorkflowRandom(seedingFrom: seedRunId)
        self.baseLogger = logger
    }

    private func makeWorkflowLogger() -> Logger {
        let upstream = baseLogger.handler
        let flag = replayFlag
        return Logger(label: baseLogger.label) { _ in ReplayAwareLogHandler(wrapping: upstream, flag: flag) }
            .adding([
                "workflow_id": .string(info.workflowId), "run_id": .string(info.runId),
                "workflow_type": .string(info.workflowType),
            ])
    }

    func setReplaying(_ replaying: Bool) {
        isReplaying = replaying
        replayFlag.isReplaying = replaying
    }

    /// True while some workflow code is parked on something the runtime will resume.
    var hasPendingWaits: Bool {
        activities.values.contains { !$0.slot.isResolved }
            || localActivities.values.contains { !$0.slot.isResolved }
            || timers.values.contains { !$0.slot.isResolved }
            || !conditions.isEmpty
    }

    /// Throws when workflow code may not start a new operation.
    func checkCanStartOperation() throws {
        if evicted { throw CancellationError() }
        if Task.isCancelled { throw CancellationError() }
        if completion != nil {
            throw WorkflowTaskFailure("workflow code started an operation after the workflow finished")
        }
    }

    /// Runs a handler outside any task with this context visible to the `Workflow` API.
    func withCurrent<T>(_ body: () throws -> T) rethrows -> T {
        try WorkflowContext.$current.withValue(self) { try body() }
    }
}

/// Shared replay state for the replay-aware logger.
final class ReplayFlag: @unchecked Sendable {
    var isReplaying = true
}
