import Configuration

/// One setting of the executables: the key swift-configuration reads it under, its default and its doc line.
/// `OrderFlowSettings` lists them all; `OrderFlowConfig` reads through them and `--help` prints them, so a
/// default is written once, as a value, and never again as text.
public struct Setting<Value: Sendable>: Sendable {
    /// A configuration key such as `postgres.poolSize`; the environment provider reads it as `POSTGRES_POOL_SIZE`.
    public let key: ConfigKey
    public let defaultValue: Value
    /// One line for `--help`.
    public let doc: String
    /// Shown as `<REDACTED>` in swift-configuration's access reports (`CONFIG_ACCESS_LOG_FILE`).
    public let isSecret: Bool
    let format: SettingFormat<Value>

    init(
        _ key: ConfigKey, _ format: SettingFormat<Value>, default defaultValue: Value, secret: Bool = false,
        _ doc: String
    ) {
        self.key = key
        self.format = format
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.doc = doc
    }

    /// The environment variable the key is read from, as swift-configuration's environment provider names it.
    public var variable: String { Self.environmentName(of: key) }

    /// The default as `--help` shows it.
    public var defaultText: String { format.text(defaultValue) }

    /// The value in `config`, the default when it has none; a value that cannot be used stops with the variable's name.
    func read(from config: ConfigReader) throws(ConfigError) -> Value {
        guard let text = config.string(forKey: key, isSecret: isSecret) else { return defaultValue }
        do {
            return try format.parse(format.trims ? text.trimmingASCIIWhitespace() : text)
        } catch {
            throw .invalidValue(variable: variable, value: format.shown(text), expected: error.expected)
        }
    }

    static func environmentName(of key: ConfigKey) -> String {
        let provider = EnvironmentVariablesProvider(environmentVariables: [:])
        let lookup = try? provider.value(forKey: AbsoluteConfigKey(key), type: .string)
        return lookup?.encodedKey ?? key.description
    }
}

/// A setting without its value type, for the `--help` table.
public protocol SettingDescription: Sendable {
    var key: ConfigKey { get }
    var variable: String { get }
    var defaultText: String { get }
    var doc: String { get }
    var isSecret: Bool { get }
}

extension Setting: SettingDescription {}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
