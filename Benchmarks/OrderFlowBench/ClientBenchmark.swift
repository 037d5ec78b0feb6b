import ArgumentParser

struct ClientBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "TemporalBridge client round trips (DescribeNamespace, StartWorkflowExecution)"
    )

    func run() async throws {
        throw ValidationError("client is not written yet")
    }
}
