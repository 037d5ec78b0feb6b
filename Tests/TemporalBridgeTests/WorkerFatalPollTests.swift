import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// Poll errors that retrying cannot fix stop the worker, once and clearly; RESOURCE_EXHAUSTED
/// backs off longer than a connection blip, with jitter.
@Suite struct WorkerFatalPollTests {
    @Test func aMissingNamespaceStopsTheWorkerWithOneLine() async throws {
        let namespace = TransportTestSupport.uniqueName("no-such-namespace")
        let connection = try TemporalConnection(
            options: TemporalConnectionOptions(target: TransportTestSupport.target, namespace: namespace))
        let lines = CapturedLog()
        let worker = Worker(
            connection: connection, taskQueue: TransportTestSupport.uniqueName("fatal"),
            workflows: [WorkerTestSupport.sampleWorkflow], activities: WorkerTestSupport.activities(AttemptCounter()),
            logger: lines.logger)
        let (outcome, elapsed) = await measureElapsed { () -> (any Error)? in
            do {
                try await worker.run()
                return nil
            } catch {
                return error
            }
        }
        let fatal = try #require(outcome as? WorkerFatalError, "run() returned \(String(describing: outcome))")
        #expect(fatal.cause.code == .notFound)
        #expect(elapsed < .seconds(20))
        let stopping = lines.messages.filter { $0.contains("worker stopping") }
        #expect(stopping.count == 1, "\(lines.messages)")
        #expect(stopping.first?.contains(namespace) == true)
        #expect(stopping.first?.contains("temporal operator namespace create") == true)
        #expect(!lines.messages.contains { $0.contains("poll failed") }, "a fatal error was retried: \(lines.messages)")
    }

    @Test func resourceExhaustedBacksOffLongerThanUnavailable() {
        let exhausted = TemporalRPCError(code: .resourceExhausted, message: "namespace rate limit exceeded")
        let unavailable = TemporalRPCError(code: .unavailable, message: "connection refused")
        var high = PollBackoff(random: { 1 })
        var low = PollBackoff(random: { 0 })
        let exhaustedDelays = (0..<8).map { _ in high.delay(after: exhausted) }
        #expect(exhaustedDelays.first == .seconds(1))
        #expect(exhaustedDelays.last == .seconds(30))
        #expect(zip(exhaustedDelays, exhaustedDelays.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(low.delay(after: exhausted) == .milliseconds(500), "jitter draws from the upper half")

        var transient = PollBackoff(random: { 1 })
        let unavailableDelays = (0..<10).map { _ in transient.delay(after: unavailable) }
        #expect(unavailableDelays.first == .milliseconds(200))
        #expect(unavailableDelays.last == .seconds(10))
        #expect(exhaustedDelays[0] > unavailableDelays[0])

        transient.reset()
        #expect(transient.delay(after: unavailable) == .milliseconds(200))
    }

    @Test func jitterSpreadsPollersThatFailedTogether() {
        let exhausted = TemporalRPCError(code: .resourceExhausted, message: "busy")
        let delays = Set(
            (0..<20).map { _ in
                var backoff = PollBackoff()
                return backoff.delay(after: exhausted)
            })
        #expect(delays.count > 1)
        #expect(delays.allSatisfy { $0 >= Duration.milliseconds(500) && $0 <= Duration.seconds(1) })
    }
}

/// Collects what a logger writes, for assertions on log lines.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var lineMetadata: [Logger.Metadata] = []

    var messages: [String] { lock.withLock { lines } }
    /// Each line's metadata as a handler prints it: the logger's own, overridden by the line's.
    var metadata: [Logger.Metadata] { lock.withLock { lineMetadata } }

    var logger: Logger {
        Logger(label: "captured") { _ in CapturingLogHandler(log: self) }
    }

    fileprivate func append(_ line: String, metadata: Logger.Metadata) {
        lock.withLock {
            lines.append(line)
            lineMetadata.append(metadata)
        }
    }
}

private struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append(
            "\(event.level) \(event.message) \(event.metadata ?? [:])",
            metadata: metadata.merging(event.metadata ?? [:]) { _, own in own })
    }
}
