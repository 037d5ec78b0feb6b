import ArgumentParser

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// `orderflow-bench post`: `POST /api/orders` at one caller over one keep-alive connection, timed from the request's
/// first byte written to the response's last byte read.
///
/// The client is as lean as `client --order-starts`, the bare StartWorkflowExecution it is compared with (api.sh):
/// one blocking socket on the main thread, the request bytes made before the clock starts, so the difference of the
/// two is order-api's, not a load generator's (wrk at one connection adds a millisecond or more of its own).
/// The body is the input `client --order-starts` starts OrderWorkflow with.
struct PostBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "POST /api/orders at one caller over one keep-alive connection")

    @Option(help: "order-api's port on 127.0.0.1.")
    var port = 8080

    @Option(help: "Orders to create, timed (after \(Self.warmUp) untimed ones).")
    var count = 300

    static let warmUp = 20

    @Option(help: "Order id prefix; ids are <prefix>-<random tag>-<n>, new in every run.")
    var prefix = "bench-post"

    @Flag(help: "Print one JSON object (post_1_p50_ms, …) instead of text.")
    var json = false

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be a TCP port") }
    }

    func run() throws {
        let connection = try HTTPConnection(port: UInt16(port))
        defer { connection.close() }
        let order = BenchOrder(productId: "PROD-005", unitPrice: "89.99")
        let encoder = JSONEncoder()
        // Ids nobody used before: a known id would make the API answer from the existing row (another round trip).
        let runTag = UUID().uuidString.lowercased().prefix(8)
        func request(_ orderId: String) throws -> [UInt8] {
            let body = try encoder.encode(order.input(orderId: orderId))
            let head =
                "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\n\r\n"
            return Array(head.utf8) + body
        }
        let clock = ContinuousClock()
        func create(_ orderId: String) throws -> Duration {
            let bytes = try request(orderId)
            let sent = clock.now
            let status = try connection.exchange(bytes)
            let took = clock.now - sent
            guard status == 201 else { throw PostBenchmarkError.status(status, order: orderId) }
            return took
        }
        for index in 0..<Self.warmUp { _ = try create("\(prefix)-\(runTag)-warmup-\(index)") }

        var latencies: [Duration] = []
        latencies.reserveCapacity(count)
        let cpuBefore = ClientBenchmark.ProcessUsage.current()
        let began = clock.now
        for index in 0..<count { latencies.append(try create("\(prefix)-\(runTag)-\(index)")) }
        let phase = ClientBenchmark.Phase(latencies: latencies.sorted(), wall: clock.now - began)
        let cpu = ClientBenchmark.ProcessUsage.current().cpuMilliseconds - cpuBefore.cpuMilliseconds
        let mean = latencies.map(ClientBenchmark.seconds).reduce(0, +) / Double(count) * 1000
        if json {
            let report: [String: ReportValue] = [
                "count": .number(Double(count)), "requests": .number(Double(count + Self.warmUp)),
                "client_cpu_ms": .number(Double(cpu)),
                "post_1_p50_ms": .number(phase.percentileMilliseconds(0.50)),
                "post_1_p99_ms": .number(phase.percentileMilliseconds(0.99)),
                "post_1_mean_ms": .number((mean * 1000).rounded() / 1000),
                "post_1_per_s": .number(phase.callsPerSecond),
            ]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(
                "post_1: \(count) calls, p50 \(phase.percentileMilliseconds(0.50)) ms, "
                    + "p99 \(phase.percentileMilliseconds(0.99)) ms, \(phase.callsPerSecond)/s; client CPU \(cpu) ms")
        }
    }
}

enum PostBenchmarkError: Error, CustomStringConvertible {
    case system(String, errno: Int32)
    case closed
    case malformed(String)
    case status(Int, order: String)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code))) (is order-api up?)"
        case .closed: "order-api closed the connection"
        case .malformed(let what): "malformed response: \(what)"
        case .status(let status, let order): "order \(order) answered \(status), not 201"
        }
    }
}

/// One HTTP/1.1 keep-alive connection to 127.0.0.1: a request written whole, its response read to the end of its
/// `Content-Length` body.
private final class HTTPConnection {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PostBenchmarkError.system("socket", errno: errno) }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(socket)
            throw PostBenchmarkError.system("connect", errno: code)
        }
    }

    func close() { Glibc.close(socket) }

    /// Writes `request`, reads one response; returns its status code.
    func exchange(_ request: [UInt8]) throws -> Int {
        var written = 0
        while written < request.count {
            let result = request.withUnsafeBytes { send(socket, $0.baseAddress! + written, request.count - written, 0) }
            guard result > 0 else { throw PostBenchmarkError.system("send", errno: errno) }
            written += result
        }
        var headEnd: Int?
        while true {
            if headEnd == nil { headEnd = Self.endOfHead(buffer) }
            if let headEnd {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
                let length = try Self.contentLength(head)
                if buffer.count >= headEnd + length {
                    buffer.removeFirst(headEnd + length)
                    return try Self.status(head)
                }
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let result = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard result >= 0 else { throw PostBenchmarkError.system("recv", errno: errno) }
        guard result > 0 else { throw PostBenchmarkError.closed }
        buffer += chunk[..<result]
    }

    /// The index just past the blank line ending the head, if it has arrived.
    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index - 3] == 13 && bytes[index - 2] == 10 && bytes[index - 1] == 13 && bytes[index] == 10 {
            return index + 1
        }
        return nil
    }

    private static func status(_ head: String) throws -> Int {
        let parts = head.prefix { $0 != "\r" }.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw PostBenchmarkError.malformed("status line") }
        return status
    }

    private static func contentLength(_ head: String) throws -> Int {
        for line in head.split(separator: "\r\n") {
            let field = line.split(separator: ":", maxSplits: 1)
            if field.count == 2, field[0].lowercased() == "content-length" {
                guard let length = Int(field[1].filter { $0 != " " && $0 != "\t" }) else {
                    throw PostBenchmarkError.malformed("Content-Length")
                }
                return length
            }
        }
        throw PostBenchmarkError.malformed("no Content-Length")
    }
}
