import Foundation
import OrderCore

/// The `--help` discussion: every environment setting with its default.
enum SettingsHelp {
    static var text: String {
        let width = OrderFlowConfig.settingsHelp.map(\.variable.count).max() ?? 0
        let lines = OrderFlowConfig.settingsHelp.map { setting in
            let padded = setting.variable.padding(toLength: width, withPad: " ", startingAt: 0)
            return "  \(padded)  \(setting.meaning) (default: \(setting.defaultValue))"
        }
        return (["Environment settings (flags override where given):"] + lines).joined(separator: "\n")
    }
}
