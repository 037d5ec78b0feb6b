import Foundation
import Testing

@testable import TemporalBridge

/// What a run may accumulate: signals waiting for a handler and activity observers are bounded,
/// and going past a bound fails the workflow task with a message that says what to change.
@Suite struct RunBoundsTests {
    private static let noHandler = WorkflowDefinition(name: "NoHandler") { (_: String) async throws -> String in
        try await Workflow.executeActivity(
            "Work", input: "x", options: ActivityOptions(startToCloseTimeout: .seconds(5)))
    }

    @Test func signalsUpToTheLimitAreBufferedForALaterHandler() throws {
        var script = ScriptedRun(Self.noHandler, input: "x")
        try script.task()
        try script.task { builder in
            for index in 0..<100 { builder.signaled("later", index) }
        }
        #expect(script.run.context?.bufferedSignals.count == 100)
    }

    @Test func signalsPastTheLimitFailTheTaskNamingTheSignal() throws {
        var script = ScriptedRun(Self.noHandler, input: "x")
        try script.task()
        let limit = WorkflowContext.maxBufferedSignals
        let error = #expect(throws: WorkflowTaskFailure.self) {
            try script.task { builder in
                for index in 0...limit { builder.signaled("nobody-listens", index) }
            }
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("nobody-listens"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("\(limit)"))
        #expect((script.run.context?.bufferedSignals.count ?? 0) <= limit)
    }

    @Test func activityObserversPastTheLimitFailTheTask() throws {
        let registering = WorkflowDefinition(name: "Observing") { (count: Int) async throws -> String in
            for _ in 0..<count { Workflow.onActivityStatus { _ in } }
            return "registered"
        }
        var fine = ScriptedRun(registering, input: WorkflowContext.maxActivityObservers)
        #expect(try fine.task().count == 1)
        var tooMany = ScriptedRun(registering, input: WorkflowContext.maxActivityObservers + 1)
        let error = #expect(throws: WorkflowTaskFailure.self) { try tooMany.task() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("onActivityStatus"))
    }
}
