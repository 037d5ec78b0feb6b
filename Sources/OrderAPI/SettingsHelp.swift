import OrderCore

/// The `--help` discussion: every environment setting with its default, two short lines
/// each so the help formatter does not re-wrap them.
enum SettingsHelp {
    static var text: String {
        let lines = OrderFlowConfig.settingsHelp.map { setting in
            "  \(setting.variable) (default: \(setting.defaultValue))\n      \(setting.meaning)"
        }
        return (["Settings are read from the environment; --host, --port and --log-level override theirs."] + lines)
            .joined(separator: "\n")
    }
}
