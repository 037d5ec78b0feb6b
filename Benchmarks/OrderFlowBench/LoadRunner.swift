import ArgumentParser

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs one operation `count` times with at most `concurrency` in flight and measures each call's
/// wall-clock latency. Shared by the load drivers (`workflow-load`, `order-load`) so every
/// benchmark measures throughput and percentiles the same way.
struct LoadRunner: Sendable {
    let count: Int
    let concurrency: Int

    init(count: Int, concurrency: Int) {
        self.count = max(0, count)
        self.concurrency = max(1, concurrency)
    }

    /// Calls `operation(index)` for every index in `0..<count`. A thrown error counts as a failure
    /// (the first few messages are kept for the report); it does not stop the run.
    func run(_ operation: @escaping @Sendable (Int) async throws -> Void) async -> LoadReport {
        let clock = ContinuousClock()
        let started = clock.now
        var latencies: [Duration] = []
        latencies.reserveCapacity(count)
        var failures: [String] = []
        var failureCount = 0
        await withTaskGroup(of: Result<Duration, any Error>.self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask {
                    let begin = clock.now
                    do {
                        try await operation(index)
                        return .success(begin.duration(to: clock.now))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            while next < min(count, concurrency) { launch() }
            for await outcome in group {
                switch outcome {
                case .success(let latency):
                    latencies.append(latency)
                case .failure(let error):
                    failureCount += 1
                    if failures.count < 5 { failures.append("\(error)") }
                }
                if next < count { launch() }
            }
        }
        return LoadReport(
            count: count, concurrency: concurrency, elapsed: started.duration(to: clock.now),
            latencies: latencies, failureCount: failureCount, failureSamples: failures)
    }
}

/// What one load run measured; encodes as the JSON line the benchmark scripts read.
extension LoadRunner {
    /// What every load driver does: `warmup` unmeasured operations (any failure aborts the run), then
    /// `count` measured ones at `concurrency`; prints the report's JSON line and fails the process when
    /// an operation failed. `operation` gets a name unique within the run ("warmup-3", "17") and its index.
    static func measure(
        count: Int, concurrency: Int, warmup: Int,
        _ operation: @escaping @Sendable (_ name: String, _ index: Int) async throws -> Void
    ) async throws {
        if warmup > 0 {
            let warm = await LoadRunner(count: warmup, concurrency: min(warmup, concurrency)).run { index in
                try await operation("warmup-\(index)", index)
            }
            if warm.failed > 0 { throw ValidationError("warm-up failed: \(warm.failureSamples)") }
        }
        let report = await LoadRunner(count: count, concurrency: concurrency).run { index in
            try await operation("\(index)", index)
        }
        print(try report.jsonLine())
        if report.failed > 0 { throw ExitCode(1) }
    }
}

struct LoadReport: Codable, Sendable {
    var count: Int
    var concurrency: Int
    var succeeded: Int
    var failed: Int
    var elapsedSeconds: Double
    /// Successful operations per second of wall-clock time.
    var perSecond: Double
    var p50Ms: Double
    var p99Ms: Double
    var meanMs: Double
    var maxMs: Double
    var failureSamples: [String]

    init(
        count: Int, concurrency: Int, elapsed: Duration, latencies: [Duration], failureCount: Int,
        failureSamples: [String]
    ) {
        let millis = latencies.map(Self.milliseconds).sorted()
        let seconds = Self.milliseconds(elapsed) / 1000
        self.count = count
        self.concurrency = concurrency
        self.succeeded = millis.count
        self.failed = failureCount
        self.elapsedSeconds = Self.rounded(seconds)
        self.perSecond = Self.rounded(seconds > 0 ? Double(millis.count) / seconds : 0)
        self.p50Ms = Self.rounded(Self.percentile(millis, 0.50))
        self.p99Ms = Self.rounded(Self.percentile(millis, 0.99))
        self.meanMs = Self.rounded(millis.isEmpty ? 0 : millis.reduce(0, +) / Double(millis.count))
        self.maxMs = Self.rounded(millis.last ?? 0)
        self.failureSamples = failureSamples
    }

    enum CodingKeys: String, CodingKey {
        case count, concurrency, succeeded, failed
        case elapsedSeconds = "elapsed_s"
        case perSecond = "per_s"
        case p50Ms = "p50_ms"
        case p99Ms = "p99_ms"
        case meanMs = "mean_ms"
        case maxMs = "max_ms"
        case failureSamples = "failure_samples"
    }

    /// One line of JSON (sorted keys), for the scripts to pick fields from.
    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
