import Logging
import SwiftProtobuf
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A connection to the Temporal frontend: one gRPC channel, one completion-queue thread,
/// and unary WorkflowService calls with metadata, deadlines, cancellation and retries.
///
/// Share one connection per process; calls run concurrently over it. Dropping the last
/// reference cancels calls still in flight and closes the channel.
public final class TemporalConnection: Sendable {
    public static let servicePath = "/temporal.api.workflowservice.v1.WorkflowService/"

    public let options: TemporalConnectionOptions
    private let channel: GRPCChannel
    private let metadata: CallMetadata
    private let logger: Logger
    private let metrics: RequestMetrics
    private let transportFailure = Mutex<TemporalRPCError?>(nil)

    public init(
        options: TemporalConnectionOptions = TemporalConnectionOptions(),
        logger: Logger = Logger(label: "temporal.connection")
    ) throws {
        self.options = options
        self.channel = try GRPCChannel(target: options.target, tls: options.tls)
        self.metadata = CallMetadata(options.callMetadata)
        self.logger = logger
        self.metrics = RequestMetrics(namespace: options.namespace)
    }

    public var namespace: String { options.namespace }
    public var identity: String { options.identity }

    /// Calls currently in flight on the channel (diagnostics and tests).
    public var callsInFlight: Int { channel.callsInFlight }

    /// The UNAVAILABLE error of the latest call attempt when that attempt could not reach the
    /// server; nil once any attempt gets an answer again. Readiness probes read it: a worker whose
    /// polls cannot reach Temporal knows at the first failed attempt, before the retries give up.
    public var unreachable: TemporalRPCError? { transportFailure.withLock { $0 } }

    /// Calls `method` (the bare RPC name, e.g. "StartWorkflowExecution"). The transport under
    /// `WorkflowServiceClient`, which code calls instead; transport tests call this directly.
    ///
    /// The call answers within `timeout`, retries included: each attempt's gRPC deadline is
    /// what is left of it. Under a retry policy the call is re-sent on UNAVAILABLE / RESOURCE_EXHAUSTED
    /// after the policy's jittered exponential backoff, as long as the backoff ends in time.
    /// Throws `TemporalRPCError`, or `CancellationError` when the task is cancelled.
    public func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: String,
        _ request: Request,
        timeout: Duration,
        retry: RPCRetryPolicy = .default,
        as: Response.Type = Response.self
    ) async throws -> Response {
        let body: Data = try request.serializedBytes()
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started.advanced(by: timeout)
        var attempt = 1
        while true {
            do {
                return try await attemptOnce(method, body: body, timeout: clock.now.duration(to: deadline))
            } catch let error as TemporalRPCError where RPCRetryPolicy.isRetryable(error) {
                guard let delay = retry.delay(afterAttempt: attempt, elapsed: started.duration(to: clock.now)),
                    clock.now.advanced(by: delay) < deadline
                else { throw error }
                logger.debug(
                    "retrying after transient error",
                    metadata: [
                        "method": "\(method)", "attempt": "\(attempt)", "code": "\(error.code)",
                        "error": "\(error.message)", "delay_ms": "\(delay.milliseconds)",
                    ])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func attemptOnce<Response: SwiftProtobuf.Message>(_ method: String, body: Data, timeout: Duration)
        async throws -> Response
    {
        let series = metrics.series(method)
        series.requests.increment()
        let started = ContinuousClock.now
        let result = try await UnaryCall.perform(
            channel: channel, path: Self.servicePath + method, request: body, metadata: metadata, timeout: timeout)
        series.latency.record(ContinuousClock.now - started)
        let code = RPCStatusCode(rawCode: result.statusCode)
        guard code == .ok else {
            metrics.failed(method, code: code)
            let error = TemporalRPCError(
                code: code,
                message: result.statusMessage,
                details: TemporalErrorDetail.decode(statusDetailsBin: result.statusDetailsBin),
                method: method)
            transportFailure.withLock { $0 = code == .unavailable ? error : nil }
            throw error
        }
        transportFailure.withLock { $0 = nil }
        do {
            // Unknown fields (newer server) are kept aside, never an error.
            return try Response(serializedBytes: result.response ?? Data())
        } catch {
            throw TemporalRPCError(code: .internal, message: "cannot decode \(Response.self): \(error)", method: method)
        }
    }
}
