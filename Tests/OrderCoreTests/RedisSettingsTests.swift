import OrderCore
import Testing

@Suite("REDIS_URL parsing")
struct RedisSettingsTests {
    @Test func hostPortAndDefaults() throws {
        #expect(try RedisSettings(url: "redis://cache") == RedisSettings(host: "cache", port: 6379))
        #expect(try RedisSettings(url: "redis://127.0.0.1:6390") == RedisSettings(host: "127.0.0.1", port: 6390))
        #expect(try RedisSettings(url: "redis://:6390/") == RedisSettings(host: "localhost", port: 6390))
        #expect(try RedisSettings(url: "redis://[::1]:7000/2") == RedisSettings(host: "::1", port: 7000, database: 2))
    }

    @Test func credentialsAndDatabase() throws {
        let withPassword = try RedisSettings(url: "redis://:s%40cret@cache:6380/3")
        #expect(withPassword == RedisSettings(host: "cache", port: 6380, password: "s@cret", database: 3))
        let withUser = try RedisSettings(url: "redis://app:pw@cache/1")
        #expect(withUser == RedisSettings(host: "cache", username: "app", password: "pw", database: 1))
        #expect(try RedisSettings(url: "redis://pw@cache").password == "pw")
        #expect(!withUser.description.contains("pw"))
    }

    @Test(arguments: [
        ("localhost:6379", RedisURLError.notARedisURL), ("http://cache", .notARedisURL),
        ("rediss://cache:6380", .tlsUnsupported), ("redis://cache:0", .invalidPort("0")),
        ("redis://cache:port", .invalidPort("port")), ("redis://cache/x", .invalidDatabase("x")),
        ("redis://[::1", .invalidHost("[::1")),
    ])
    func refused(url: String, expected: RedisURLError) {
        #expect(throws: expected) { try RedisSettings(url: url) }
    }

    @Test func configValidatesREDIS_URL() throws {
        #expect(throws: ConfigError.self) { try OrderFlowConfig(environment: ["REDIS_URL": "rediss://cache"]) }
        let config = try OrderFlowConfig(environment: ["REDIS_URL": "redis://cache:6380/2"])
        #expect(try config.redis == RedisSettings(host: "cache", port: 6380, database: 2))
        #expect(try OrderFlowConfig(environment: [:]).redis == nil)
    }

    @Test func rateLimitSettings() throws {
        let defaults = try OrderFlowConfig(environment: [:]).rateLimit
        #expect(defaults == RateLimitSettings(perMinute: 6000, burst: 1000))
        let off = try OrderFlowConfig(environment: ["RATE_LIMIT_PER_MINUTE": "0"]).rateLimit
        #expect(!off.isEnabled)
        #expect(throws: ConfigError.self) { try OrderFlowConfig(environment: ["RATE_LIMIT_BURST": "0"]) }
        #expect(throws: ConfigError.self) { try OrderFlowConfig(environment: ["RATE_LIMIT_PER_MINUTE": "lots"]) }
        let variables = OrderFlowConfig.settingsHelp.map(\.variable)
        #expect(variables.contains("RATE_LIMIT_PER_MINUTE") && variables.contains("RATE_LIMIT_BURST"))
    }
}
