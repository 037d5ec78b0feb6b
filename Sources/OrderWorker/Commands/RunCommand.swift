import ArgumentParser
import Logging
import OrderCore

/// `order-worker run` (the default): polls the task queue for OrderWorkflow and its activities.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the worker until SIGTERM or SIGINT (the default subcommand).",
        discussion: SettingsHelpText.discussion
    )

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Overrides TEMPORAL_HOST_PORT.")
    var temporalHostPort: String?

    @Option(name: .long, help: "Overrides TEMPORAL_TASK_QUEUE.")
    var taskQueue: String?

    func run() async throws {
        var config = try options.loadConfig()
        if let temporalHostPort { config.temporal.hostPort = temporalHostPort }
        if let taskQueue { config.temporal.taskQueue = taskQueue }
        LoggingSetup.bootstrap(level: config.logLevel)
        print("order-worker: \(config.summary)")
        // Wired to TemporalBridge.Worker once the runtime lands.
        throw ValidationError("the worker runtime is not available yet")
    }
}
