import ArgumentParser
import Synchronization
import TemporalBridge

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// `orderflow-bench client`: DescribeNamespace round trips and StartWorkflowExecution throughput through
/// TemporalBridge, at one caller and at `--concurrency` callers sharing one connection.
///
/// Benchmarks/python/client_bench.py measures the Temporal Python SDK client the same way and prints the
/// same JSON keys, so Benchmarks/client.sh can set the two side by side. No worker is needed: started
/// workflows stay running on the (private, in-memory) bench server.
struct ClientBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "TemporalBridge client round trips (DescribeNamespace, StartWorkflowExecution)"
    )

    @Option(help: "Temporal frontend, host:port.")
    var address = "127.0.0.1:7233"

    @Option(help: "Namespace to describe and start workflows in.")
    var namespace = "default"

    @Option(help: "Workflow starts per phase.")
    var count = 200

    @Option(help: "DescribeNamespace calls per phase (default: 5 × count).")
    var unaryCount: Int?

    @Option(help: "Concurrent callers in the concurrent phases.")
    var concurrency = 50

    @Flag(help: "Print one JSON object (the keys client.sh reads) instead of text.")
    var json = false

    @Flag(
        help: """
            Start OrderWorkflow with the documented input and order-api's id policies and request id: the very \
            request the API sends (api.sh's baseline). Default: an empty BenchClientWorkflow, as the Python peer starts.
            """)
    var orderStarts = false

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        if let unaryCount, unaryCount <= 0 { throw ValidationError("--unary-count must be positive") }
    }

    func run() async throws {
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(
                target: address, namespace: namespace, identity: "orderflow-bench-client"))
        let client = WorkflowClient(connection: connection)
        let service = client.service
        // Each run starts its workflows on a queue of its own, with ids nobody else uses.
        let runTag = "bench-client-swift-\(UUID().uuidString.lowercased().prefix(8))"
        var describeRequest = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
        describeRequest.namespace = namespace
        let describe: @Sendable (Int) async throws -> Void = { [describeRequest] _ in
            _ = try await service.describeNamespace(describeRequest)
        }
        let orderStarts = orderStarts
        let order = BenchOrder(productId: "PROD-005", unitPrice: "89.99")
        let start: @Sendable (String) -> @Sendable (Int) async throws -> Void = { phase in
            { index in
                let id = "\(runTag)-\(phase)-\(index)"
                if orderStarts {
                    let options = WorkflowStartOptions(
                        idReusePolicy: .rejectDuplicate, idConflictPolicy: .useExisting,
                        requestId: UUID.random().uuidString.lowercased())
                    _ = try await client.start(
                        workflowType: "OrderWorkflow", id: id, taskQueue: runTag, args: [order.input(orderId: id)],
                        options: options)
                } else {
                    _ = try await client.start(workflowType: "BenchClientWorkflow", id: id, taskQueue: runTag)
                }
            }
        }

        // Warm-up: connect, fill caches on both ends; not measured.
        _ = try await Phase.run(calls: 50, callers: 1, describe)
        _ = try await Phase.run(calls: 10, callers: 1, start("warmup"))

        let cpuBefore = ProcessUsage.current()
        let unaryCalls = unaryCount ?? count * 5
        let phases: [(key: String, result: Phase)] = [
            ("describe_1", try await Phase.run(calls: unaryCalls, callers: 1, describe)),
            ("describe_n", try await Phase.run(calls: unaryCalls, callers: concurrency, describe)),
            ("start_1", try await Phase.run(calls: count, callers: 1, start("serial"))),
            ("start_n", try await Phase.run(calls: count, callers: concurrency, start("concurrent"))),
        ]
        let usage = ProcessUsage.current()

        var report: [String: ReportValue] = [
            "client": .text("swift"), "count": .number(Double(count)), "unary_count": .number(Double(unaryCalls)),
            "concurrency": .number(Double(concurrency)),
            "cpu_ms": .number(Double(usage.cpuMilliseconds - cpuBefore.cpuMilliseconds)),
            "peak_rss_mb": .number(Double(usage.peakRSSMegabytes)),
        ]
        for (key, result) in phases {
            report["\(key)_p50_ms"] = .number(result.percentileMilliseconds(0.50))
            report["\(key)_p99_ms"] = .number(result.percentileMilliseconds(0.99))
            report["\(key)_per_s"] = .number(result.callsPerSecond)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for (key, result) in phases {
                print(
                    "\(key): \(result.latencies.count) calls, p50 \(result.percentileMilliseconds(0.50)) ms, "
                        + "p99 \(result.percentileMilliseconds(0.99)) ms, \(result.callsPerSecond)/s")
            }
            print(
                "client CPU \(usage.cpuMilliseconds - cpuBefore.cpuMilliseconds) ms, peak RSS \(usage.peakRSSMegabytes) MiB"
            )
        }
    }
}

extension ClientBenchmark {
    /// `calls` calls spread over `callers` concurrent tasks, each timed on its own.
    struct Phase: Sendable {
        /// Sorted ascending.
        let latencies: [Duration]
        let wall: Duration

        static func run(calls: Int, callers: Int, _ call: @escaping @Sendable (Int) async throws -> Void)
            async throws -> Phase
        {
            let next = CallIndex()
            let clock = ContinuousClock()
            let began = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for _ in 0..<min(callers, calls) {
                    group.addTask {
                        var own: [Duration] = []
                        while let index = next.take(below: calls) {
                            let sent = clock.now
                            try await call(index)
                            own.append(clock.now - sent)
                        }
                        return own
                    }
                }
                return try await group.reduce(into: [Duration]()) { $0 += $1 }
            }
            return Phase(latencies: latencies.sorted(), wall: clock.now - began)
        }

        /// Nearest-rank percentile, in milliseconds rounded to microseconds.
        func percentileMilliseconds(_ quantile: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let rank = Int((quantile * Double(latencies.count)).rounded(.up))
            return (ClientBenchmark.seconds(latencies[max(rank, 1) - 1]) * 1_000_000).rounded() / 1000
        }

        var callsPerSecond: Double {
            (Double(latencies.count) / ClientBenchmark.seconds(wall) * 10).rounded() / 10
        }
    }

    /// Hands out call indices 0, 1, 2, … to concurrent callers.
    final class CallIndex: Sendable {
        private let next = Atomic<Int>(0)

        func take(below limit: Int) -> Int? {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            return index < limit ? index : nil
        }
    }

    /// CPU time and peak memory of this process (all threads), from getrusage.
    struct ProcessUsage {
        let cpuMilliseconds: Int
        let peakRSSMegabytes: Double

        static func current() -> ProcessUsage {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func ms(_ time: timeval) -> Int { time.tv_sec * 1000 + time.tv_usec / 1000 }
            return ProcessUsage(
                cpuMilliseconds: ms(usage.ru_utime) + ms(usage.ru_stime),
                peakRSSMegabytes: (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One figure of the client benchmark's JSON report.
enum ReportValue: Encodable {
    case number(Double)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}
