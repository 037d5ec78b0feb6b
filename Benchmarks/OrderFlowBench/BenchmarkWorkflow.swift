import TemporalBridge

/// The worker benchmark's workflow: four trivial activities in sequence. The Temporal Python SDK
/// peer (Benchmarks/python/bench_worker.py) registers the same type and activity names with the
/// same JSON shapes, so one load driver measures both workers.
enum BenchmarkWorkflow {
    static let name = "WorkerBenchWorkflow"
    static let activityNames = ["BenchStepOne", "BenchStepTwo", "BenchStepThree", "BenchStepFour"]

    /// Input and output of the workflow and of each activity: `{"id": "...", "value": n}`.
    struct Value: Codable, Sendable, Equatable {
        var id: String
        var value: Int
    }

    static let activityOptions = ActivityOptions(
        startToCloseTimeout: .seconds(10), retryPolicy: RetryPolicy(maximumAttempts: 3))

    /// Each activity adds one, so a run's result is its input plus four.
    static let definition = WorkflowDefinition(name: name) { (input: Value) async throws -> Value in
        var current = input
        for activity in activityNames {
            current = try await Workflow.executeActivity(activity, input: current, options: activityOptions)
        }
        return current
    }

    static let activities: [ActivityDefinition] = activityNames.map { name in
        ActivityDefinition(name: name) { (input: Value, _: ActivityContext) in
            Value(id: input.id, value: input.value + 1)
        }
    }

    static func expectedResult(for input: Value) -> Value {
        Value(id: input.id, value: input.value + activityNames.count)
    }
}
