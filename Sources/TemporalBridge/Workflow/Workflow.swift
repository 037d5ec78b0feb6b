import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The API workflow code is written against: straight-line async Swift whose every wait goes
/// through here, so the runtime can replay it from history.
///
/// Rules for workflow code: await only `Workflow.*` calls (plus `async let` / task groups of
/// them); no `Task {}`, `Task.detached`, `Task.sleep`, actors, `Date()`, system randomness or
/// I/O — use `Workflow.now`, `Workflow.random`, `Workflow.sleep(for:)` and activities instead.
public enum Workflow {
    static func context() throws -> WorkflowContext {
        guard let context = WorkflowContext.current else {
            throw WorkflowTaskFailure("Workflow API used outside of workflow code")
        }
        return context
    }

    static var requiredContext: WorkflowContext {
        guard let context = WorkflowContext.current else {
            preconditionFailure("Workflow API used outside of workflow code")
        }
        return context
    }

    // MARK: activities

    /// Schedules activity `type` with one input argument and waits for its result.
    /// Throws `ActivityFailure` when it fails or times out, `CancellationError` when cancelled.
    ///
    /// `summary` is a one-line description the Web UI shows for this activity (sent as the
    /// command's `user_metadata.summary`). `file` and `line` locate the wait in the stack trace:
    /// a helper that wraps this call should take them as its own defaults and pass them on.
    public static func executeActivity<Input: Encodable, Result: Decodable>(
        _ type: String, input: Input, options: ActivityOptions, summary: String? = nil,
        returning: Result.Type = Result.self, file: StaticString = #fileID, line: UInt = #line
    ) async throws -> Result {
        let (context, activity) = try scheduleActivity(
            type, input: input, options: options, summary: summary, site: WaitSite(file, line))
        return try decodeResult(try await context.result(of: activity))
    }

    /// Schedules activity `type` with one input argument and waits for it, ignoring its result.
    public static func executeActivity<Input: Encodable>(
        _ type: String, input: Input, options: ActivityOptions, summary: String? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) async throws {
        let (context, activity) = try scheduleActivity(
            type, input: input, options: options, summary: summary, site: WaitSite(file, line))
        _ = try await context.result(of: activity)
    }

    // The synchronous halves of `executeActivity`, kept out of line: the locals of an async function
    // live in its frame, which a waiting run keeps in memory (a thousand cached runs make it count).

    @inline(never)
    private static func scheduleActivity<Input: Encodable>(
        _ type: String, input: Input, options: ActivityOptions, summary: String?, site: WaitSite
    ) throws -> (WorkflowContext, PendingActivity) {
        let context = try context()
        let payload = try WorkflowPayloads.encode(input)
        return (
            context,
            try context.scheduleActivity(type: type, input: [payload], options: options, summary: summary, site: site)
        )
    }

    @inline(never)
    private static func decodeResult<Result: Decodable>(_ payload: Temporal_Api_Common_V1_Payload?) throws -> Result {
        try WorkflowPayloads.decode(payload, as: Result.self)
    }

    /// Calls `observer` (on the workflow's thread) whenever an activity of this run is scheduled,
    /// reported started (attempt known), completed, failed or cancelled — for status queries.
    /// Register once: more than 100 observers fail the workflow task.
    public static func onActivityStatus(_ observer: @escaping (ActivityStatus) -> Void) {
        requiredContext.addActivityObserver(observer)
    }

    // MARK: time

    /// A durable timer: sleeps in workflow time (StartTimer / TimerFired), survives worker restarts.
    /// `summary` is shown by the Web UI for the timer; `file`/`line` locate the wait in the stack trace.
    public static func sleep(
        for duration: Duration, summary: String? = nil, file: StaticString = #fileID, line: UInt = #line
    ) async throws {
        try await context().sleep(for: duration, summary: summary, site: WaitSite(file, line))
    }

    /// Waits until `predicate` holds; re-evaluated after every state change of the run.
    public static func condition(
        _ predicate: @escaping () -> Bool, file: StaticString = #fileID, line: UInt = #line
    ) async throws {
        try await context().condition(predicate, site: WaitSite(file, line))
    }

    /// Workflow time: the start time of the current workflow task (deterministic under replay).
    public static var now: Date { requiredContext.now }

    // MARK: handlers

    /// Handles signal `name`. Signals that arrived before registration are delivered at once.
    /// `description` is listed by the metadata query (the Web UI shows it beside the signal).
    public static func setSignalHandler(
        _ name: String, description: String = "", _ handler: @escaping (WorkflowArguments) -> Void
    ) {
        requiredContext.setSignalHandler(name, description: description, handler)
    }

    /// Handles signal `name` whose first argument decodes as `T` (nil when absent or invalid).
    public static func setSignalHandler<T: Decodable>(
        _ name: String, as type: T.Type, description: String = "",
        _ handler: @escaping (T?) -> Void
    ) {
        requiredContext.setSignalHandler(name, description: description) { arguments in
            handler(arguments.decodeIfPresent(T.self))
        }
    }

    /// What the workflow is doing now, as Markdown: returned by the metadata query as
    /// `current_details`, which the Web UI shows on the workflow's page. Set it whenever the story
    /// moves on; queries read it, so it needs no history event.
    public static var currentDetails: String {
        get { requiredContext.currentDetails }
        set { requiredContext.currentDetails = newValue }
    }

    /// Renders the current details when the metadata query asks (the Web UI opening the run)
    /// instead of storing a string: `render` may then read `liveAttempt(ofActivity:)`, which knows
    /// the attempt running now. It must only read state, like a query handler.
    public static func setCurrentDetails(_ render: @escaping () -> String) {
        requiredContext.currentDetailsRenderer = render
    }

    /// While the metadata query renders the current details: what the server says of running
    /// activity `activityId` (attempt in progress, last failure), which history does not show until
    /// the activity ends. Nil elsewhere, so workflow code stays deterministic.
    public static func liveAttempt(ofActivity activityId: String) -> LiveActivityAttempt? {
        requiredContext.queryTimeActivities[activityId]
    }

    /// Answers query `name` with the handler's result (json/plain). Must only read state.
    public static func setQueryHandler<R: Encodable>(
        _ name: String, description: String = "",
        _ handler: @escaping () throws -> R
    ) {
        requiredContext.setQueryHandler(
            name, description: description,
            QueryHandler(description: description) { _ in
                try WorkflowPayloads.encode(try handler())
            })
    }

    /// Answers query `name` from its arguments.
    public static func setQueryHandler<R: Encodable>(
        _ name: String, description: String = "",
        _ handler: @escaping (WorkflowArguments) throws -> R
    ) {
        requiredContext.setQueryHandler(
            name, description: description,
            QueryHandler(description: description) { args in
                try WorkflowPayloads.encode(try handler(args))
            })
    }

    // MARK: cancellation

    /// True once the workflow received a cancel request (WorkflowExecutionCancelRequested).
    public static var isCancellationRequested: Bool { requiredContext.cancelRequested }

    /// Runs `body` shielded from the workflow's cancellation (e.g. compensation after a cancel
    /// request). Its activities and timers are not cancelled when the workflow is.
    public static func nonCancellable<T: Sendable>(
        _ body: sending @escaping @isolated(any) () async throws -> T
    ) async throws -> T {
        let context = try context()
        let task = Task(executorPreference: context.executor, operation: body)
        return try await task.value
    }

    // MARK: versioning

    /// Guards a change of workflow code (sdk-core's `patched`): true when the run takes the new
    /// path. A run that is not replaying takes it and records a `core_patch` marker; a replayed
    /// run takes it only if its history holds the marker, so runs started by an older build keep
    /// the old path. The first call for an `id` decides for the whole run.
    ///
    ///     if Workflow.patched("fraud-screen") { try await screen() }
    public static func patched(_ id: String) -> Bool {
        requiredContext.patched(id, deprecated: false)
    }

    /// The step after `patched`, once no run without the marker is left: the new path is the
    /// only one, the marker is still written (deprecated) so builds that still call `patched`
    /// accept histories from this one, and histories with or without the marker replay.
    public static func deprecatePatch(_ id: String) {
        _ = requiredContext.patched(id, deprecated: true)
    }

    // MARK: continue-as-new

    /// Ends this run and starts a new one of the same workflow (unless `options` says otherwise)
    /// with `input`, on fresh history. Always throws `ContinueAsNewRequest`; let it leave the
    /// workflow function.
    public static func continueAsNew<Input: Encodable>(
        _ input: Input, options: ContinueAsNewOptions = ContinueAsNewOptions()
    ) throws -> Never {
        throw ContinueAsNewRequest(input: [try WorkflowPayloads.encode(input)], options: options)
    }

    // MARK: determinism helpers

    /// A random generator seeded from the run ID; copies share one stream.
    public static var random: WorkflowRandom { requiredContext.random }

    /// A deterministic UUID drawn from `random`.
    public static func uuid() -> UUID {
        var generator = requiredContext.random
        return generator.uuid()
    }

    /// A logger with workflow metadata that stays silent while history is replayed.
    public static var logger: Logger { requiredContext.logger }

    public static var info: WorkflowInfo { requiredContext.info }

    /// True while the runtime re-executes code for events already in history.
    public static var isReplaying: Bool { requiredContext.isReplaying }
}
