import ArgumentParser

struct OrderLoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-load", abstract: "starts OrderWorkflow N times at C concurrent and measures it")

    func run() async throws {
        throw ValidationError("order-load is not written yet")
    }
}
