import ArgumentParser
import OrderCore

/// Flags shared by the subcommands; each overrides the environment variable of the same meaning.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Overrides LOG_LEVEL.")
    var logLevel: String?

    @Option(name: .long, help: "Seconds to wait for PostgreSQL (and Temporal) before giving up.")
    var startupTimeout: Int = 30

    @Option(name: .long, help: "Overrides POSTGRES_HOST.")
    var postgresHost: String?

    @Option(name: .long, help: "Overrides POSTGRES_PORT.")
    var postgresPort: Int?

    /// The configuration from the environment with these flags applied.
    func loadConfig() throws -> OrderFlowConfig {
        var environment = ProcessEnvironment.current
        if let logLevel { environment["LOG_LEVEL"] = logLevel }
        if let postgresHost { environment["POSTGRES_HOST"] = postgresHost }
        if let postgresPort { environment["POSTGRES_PORT"] = String(postgresPort) }
        do {
            return try OrderFlowConfig(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    var startupWait: Duration { .seconds(max(1, startupTimeout)) }
}
