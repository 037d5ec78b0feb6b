import ArgumentParser

struct WorkflowLoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow-load",
        abstract: "starts the 4-activity benchmark workflow N times at C concurrent and measures it")

    func run() async throws {
        throw ValidationError("workflow-load is not written yet")
    }
}
