import OrderCore

/// The environment table shown by `--help`: every setting with its variable and default.
enum SettingsHelpText {
    static var discussion: String {
        // Two lines per setting: ArgumentParser wraps long lines at 80 columns, which would
        // break a table apart.
        let rows = OrderFlowConfig.settingsHelp.map { setting in
            "  \(setting.variable) (default: \(setting.defaultValue))\n      \(setting.meaning)"
        }
        return (["Settings come from the environment (flags override where offered):"] + rows).joined(separator: "\n")
    }
}
