extension OrderFlowConfig {
    /// Every environment variable with its default and meaning, for `--help` texts and the README.
    public static var settingsHelp: [(variable: String, defaultValue: String, meaning: String)] {
        OrderFlowSettings.all.map { ($0.variable, $0.defaultText, $0.doc) }
    }

    /// The settings table of `--help` after `intro`: two lines per setting, because ArgumentParser wraps long lines
    /// at 80 columns, which would break a table apart.
    public static func helpText(intro: String) -> String {
        let rows = settingsHelp.map { "  \($0.variable) (default: \($0.defaultValue))\n      \($0.meaning)" }
        return ([intro] + rows).joined(separator: "\n")
    }
}
