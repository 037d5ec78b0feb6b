import ArgumentParser

struct WorkflowWorkerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow-worker", abstract: "a TemporalBridge worker running the 4-activity benchmark workflow")

    func run() async throws {
        throw ValidationError("workflow-worker is not written yet")
    }
}
