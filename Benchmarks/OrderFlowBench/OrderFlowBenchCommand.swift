import ArgumentParser

/// `orderflow-bench`: the Swift side of `make bench`. Each subcommand is one benchmark's driver or worker;
/// the scripts in Benchmarks/ run them beside their Temporal Python SDK peers and collect the figures.
@main
struct OrderFlowBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderflow-bench",
        abstract: "Benchmark drivers and workers for make bench.",
        subcommands: [
            ClientBenchmark.self, PostBenchmark.self, WorkflowWorkerBenchmark.self, WorkflowLoadBenchmark.self,
            OrderLoadBenchmark.self, ReplayRecordBenchmark.self, ReplayBenchmark.self,
        ]
    )
}
