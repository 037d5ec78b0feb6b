import ArgumentParser
import OrderCore

/// `order-worker`: runs OrderWorkflow and its activities (`run`, the default) or applies the
/// database migrations (`migrate`).
@main
struct OrderWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-worker",
        abstract: "Runs the OrderFlow Temporal worker: OrderWorkflow and its activities on PostgreSQL.",
        discussion: CommonOptions.settingsHelp,
        subcommands: [RunCommand.self, MigrateCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
