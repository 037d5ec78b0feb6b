import Foundation
import Logging
import RedisClient
import TestSupport

/// The shared Redis the tests use (`services.sh up` starts it): host and port of REDIS_URL, else 127.0.0.1:6379.
enum RedisTestSupport {
    static var endpoint: RedisEndpoint {
        let url = ProcessInfo.processInfo.environment["REDIS_URL"].flatMap { URLComponents(string: $0) }
        return RedisEndpoint(host: url?.host ?? "127.0.0.1", port: url?.port ?? 6379)
    }

    static let logger: Logger = {
        var logger = Logger(label: "redis-test")
        logger.logLevel = .critical
        return logger
    }()

    static func client(_ endpoint: RedisEndpoint = endpoint, options: RedisClientOptions = .init()) -> RedisClient {
        RedisClient(endpoint: endpoint, options: options, logger: logger)
    }

    /// A key (or channel) no other test run uses.
    static func uniqueKey(_ prefix: String) -> String {
        "test:\(prefix):\(UUID().uuidString.lowercased())"
    }

    /// Waits for the first event matching `predicate`, at most `timeout`.
    static func next(
        _ iterator: inout AsyncStream<RedisSubscriber.Event>.Iterator, within timeout: Duration = .seconds(10),
        where predicate: (RedisSubscriber.Event) -> Bool
    ) async -> RedisSubscriber.Event? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = await iterator.next(isolation: #isolation) else { return nil }
            if predicate(event) { return event }
        }
        return nil
    }

    /// Retries `operation` until it succeeds or `timeout` passes (e.g. while Redis restarts).
    static func eventually<T>(
        within timeout: Duration = .seconds(15), _ operation: () async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                return try await operation()
            } catch {
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// A redis-server of the test's own on a private port, so stopping it disturbs nobody.
struct PrivateRedisServer {
    let port: Int
    let directory: String

    init(port: Int) {
        self.port = port
        directory = NSTemporaryDirectory() + "orderflow-redis-\(port)-\(UUID().uuidString.prefix(8))"
    }

    var endpoint: RedisEndpoint { RedisEndpoint(host: "127.0.0.1", port: port) }

    func start() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let result = try await CommandLineTool.run(
            [
                "/usr/bin/redis-server", "--port", String(port), "--bind", "127.0.0.1", "--dir", directory,
                "--daemonize", "yes",
                "--pidfile", directory + "/redis.pid", "--logfile", directory + "/redis.log", "--save", "",
                "--appendonly", "no",
            ])
        guard result.status == 0 else {
            throw PrivateRedisError(message: "redis-server: \(result.text)\(result.stderr)")
        }
        let probe = RedisTestSupport.client(
            endpoint, options: RedisClientOptions(reconnectDelay: .milliseconds(50), connections: 1))
        defer { Task { await probe.close() } }
        try await RedisTestSupport.eventually(within: .seconds(10)) { try await probe.ping() }
    }

    /// `SHUTDOWN NOSAVE`: the server exits at once and forgets everything (scripts included).
    func stop() async throws {
        _ = try await CommandLineTool.run(["/usr/bin/redis-cli", "-p", String(port), "shutdown", "nosave"])
        let pidFile = directory + "/redis.pid"
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: pidFile), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct PrivateRedisError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
