import ArgumentParser
import OrderCore

/// Flags shared by the subcommands; each overrides the setting of the same meaning.
struct CommonOptions: ParsableArguments {
    /// The `--help` discussion of the command and its subcommands.
    static let settingsHelp = OrderFlowConfig.helpText(
        intro: "Settings come from the environment (flags override where offered):")

    @Option(name: .long, help: "Overrides LOG_LEVEL.")
    var logLevel: String?

    @Option(name: .long, help: "Seconds to wait for PostgreSQL (and Temporal) before giving up.")
    var startupTimeout: Int = 30

    @Option(name: .long, help: "Overrides POSTGRES_HOST.")
    var postgresHost: String?

    @Option(name: .long, help: "Overrides POSTGRES_PORT.")
    var postgresPort: Int?

    /// The configuration from the environment with these flags, and a subcommand's `more`, taking precedence.
    func loadConfig(more: [(setting: any SettingDescription, value: String?)] = []) throws -> OrderFlowConfig {
        let flags: [(setting: any SettingDescription, value: String?)] =
            [
                (OrderFlowSettings.logLevel, logLevel), (OrderFlowSettings.postgresHost, postgresHost),
                (OrderFlowSettings.postgresPort, postgresPort.map(String.init)),
            ] + more
        do {
            return try OrderFlowConfig(flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
    }

    var startupWait: Duration { .seconds(max(1, startupTimeout)) }
}
