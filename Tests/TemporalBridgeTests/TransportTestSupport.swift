import Foundation
import Testing

@testable import TemporalBridge

/// Shared helpers for the integration suites that talk to the real dev server.
enum TransportTestSupport {
    /// `TEMPORAL_HOST_PORT` or the dev server's 127.0.0.1:7233.
    static var target: String {
        ProcessInfo.processInfo.environment["TEMPORAL_HOST_PORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:7233"
    }

    /// A connection to the dev server, verified with GetSystemInfo so a missing server
    /// fails the test with a clear message instead of an obscure error later.
    static func connect() async throws -> TemporalConnection {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: target, namespace: "default"))
        do {
            _ = try await WorkflowServiceClient(connection: connection).getSystemInfo(
                timeout: .seconds(5), retry: .safe(maxAttempts: 3))
        } catch {
            Issue.record("Temporal dev server not reachable at \(target) (run `make services-up`): \(error)")
            throw error
        }
        return connection
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())"
    }

    /// A PollWorkflowTaskQueue request for a queue nobody else uses.
    static func pollRequest(queue: String) -> Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueRequest {
        var request = Temporal_Api_Workflowservice_V1_PollWorkflowTaskQueueRequest()
        request.namespace = "default"
        request.identity = "transport-tests"
        request.taskQueue.name = queue
        request.taskQueue.kind = .normal
        return request
    }
}

/// Measures wall-clock time of async work.
func measureElapsed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await body()
    return (value, clock.now - start)
}

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port that accepts connections (kernel backlog) but never speaks HTTP/2,
/// standing in for a hung server.
final class SilentTCPListener {
    let port: UInt16
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}
