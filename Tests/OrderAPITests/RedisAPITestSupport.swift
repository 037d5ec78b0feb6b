import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OrderCore
import RedisClient
import Synchronization

@testable import OrderAPI

#if canImport(Glibc)
    import Glibc
#endif

/// The application around fakes, with the Redis-related services chosen by the test.
struct RedisAPIHarness {
    let gateway = FakeWorkflowGateway()
    let repository = FakeOrderRepository()
    var rateLimiter: (any RateLimiter)?
    var statusFeed: StatusFeedHub?
    var redisProbe: (@Sendable () async throws -> Void)?

    var services: APIServices {
        APIServices(
            gateway: gateway, repository: repository,
            web: WebSettings(temporalUIURL: "http://ui.test:8088", temporalNamespace: "default"),
            publicDirectory: APITestHarness.publicDirectory, metricsRegistry: SharedMetrics.registry,
            readinessTimeout: .milliseconds(500), rateLimiter: rateLimiter, statusFeed: statusFeed,
            redisProbe: redisProbe)
    }

    func run<T: Sendable>(
        _ framework: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        _ = SharedMetrics.bootstrapped
        var logger = Logger(label: "order-api-test")
        logger.logLevel = .critical
        let app = try buildApplication(services: services, logger: logger)
        return try await app.test(framework, body)
    }
}

enum RedisAPITestSupport {
    static var endpoint: RedisEndpoint {
        RedisEndpoint(
            try! RedisSettings(url: ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379"))
    }

    static let logger: Logger = {
        var logger = Logger(label: "redis-api-test")
        logger.logLevel = .critical
        return logger
    }()

    static func unique(_ prefix: String) -> String { "test:\(prefix):\(UUID().uuidString.lowercased())" }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool)
        async rethrows -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}

/// A bare HTTP/1.1 client for one streaming GET: HummingbirdTesting's clients wait for the
/// whole body, which an event stream never ends on its own. Reads on a thread of its own and
/// keeps everything received, so the test can wait for a piece of text to arrive.
final class StreamingHTTPClient: Sendable {
    private let socketDescriptor: Int32
    private let received = Mutex<(text: String, closed: Bool)>(("", false))

    init(port: Int, path: String) throws {
        socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(socketDescriptor, $0, strlen($0), 0) }
        let thread = Thread { [self] in readUntilClosed() }
        thread.start()
    }

    /// Everything received so far (status line, headers, chunk framing and events).
    var text: String { received.withLock { $0.text } }
    var isClosed: Bool { received.withLock { $0.closed } }

    /// Waits until the received text contains `marker`.
    func waitFor(_ marker: String, within timeout: Duration = .seconds(10)) async -> Bool {
        await RedisAPITestSupport.eventually(within: timeout) { text.contains(marker) }
    }

    /// Hangs up, as a browser tab that is closed.
    func close() {
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
    }

    private func readUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socketDescriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let chunk = String(decoding: buffer[0..<count], as: UTF8.self)
            received.withLock { $0.text += chunk }
        }
        Glibc.close(socketDescriptor)
        received.withLock { $0.closed = true }
    }
}
