import CGRPCShim
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// One attempt of one unary call through the shim, as an async function.
///
/// The completion-queue thread only copies bytes and resumes a continuation; it never
/// blocks. Task cancellation cancels the gRPC call, which then completes with
/// CANCELLED (reported here as `CancellationError`).
enum UnaryCall {
    static func perform(
        channel: GRPCChannel,
        path: String,
        request: Data,
        metadata: CallMetadata,
        timeout: Duration
    ) async throws -> UnaryCallResult {
        let handle = CallHandle()
        defer { handle.release() }
        let result = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UnaryCallResult, Error>) in
                let completion = Unmanaged.passRetained(CompletionBox(continuation)).toOpaque()
                let call = start(
                    channel: channel, path: path, request: request, metadata: metadata,
                    timeout: timeout, context: completion)
                guard let call else {
                    Unmanaged<CompletionBox>.fromOpaque(completion).release()
                    continuation.resume(
                        throwing: TemporalRPCError(code: .internal, message: "gRPC call could not be started"))
                    return
                }
                handle.attach(call)
            }
        } onCancel: {
            handle.cancel()
        }
        if result.statusCode == RPCStatusCode.cancelled.rawValue, handle.wasCancelled {
            throw CancellationError()
        }
        return result
    }

    private static func start(
        channel: GRPCChannel, path: String, request: Data, metadata: CallMetadata,
        timeout: Duration, context: UnsafeMutableRawPointer
    ) -> OpaquePointer? {
        // The shim copies everything during cgrpc_unary_start, so the buffers only need to outlive that one call.
        let deadlineMs = max(Int64(1), timeout.milliseconds)
        return metadata.withEntries { md in
            request.withUnsafeBytes { body in
                cgrpc_unary_start(
                    channel.pointer, path,
                    body.bindMemory(to: UInt8.self).baseAddress, body.count,
                    md.baseAddress, md.count,
                    deadlineMs, unaryCallCompleted, context)
            }
        }
    }
}

/// Runs on the completion-queue thread: copy, resume, return.
private let unaryCallCompleted: cgrpc_unary_callback = { resultPointer, context in
    guard let context else { return }
    let box = Unmanaged<CompletionBox>.fromOpaque(context).takeRetainedValue()
    guard let raw = resultPointer?.pointee else {
        box.continuation.resume(
            throwing: TemporalRPCError(code: .internal, message: "gRPC call completed without a result"))
        return
    }
    let message =
        raw.details.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: raw.details_len), as: UTF8.self)
        } ?? ""
    let detailsBin = raw.status_details_bin.map { Data(bytes: $0, count: raw.status_details_bin_len) } ?? Data()
    var response: Data?
    if raw.has_response != 0 {
        response = raw.response.map { Data(bytes: $0, count: raw.response_len) } ?? Data()
    }
    box.continuation.resume(
        returning: UnaryCallResult(
            statusCode: Int(raw.status_code), statusMessage: message, statusDetailsBin: detailsBin, response: response))
}

/// Carries the continuation through the C `void *context`.
private final class CompletionBox {
    let continuation: CheckedContinuation<UnaryCallResult, Error>
    init(_ continuation: CheckedContinuation<UnaryCallResult, Error>) { self.continuation = continuation }
}

/// The Swift side's reference to a started call. Serialises cancel against release, and
/// remembers a cancellation that arrived before the call was started.
private final class CallHandle: Sendable {
    /// The shim's call functions are thread-safe; the pointer only crosses threads here.
    private struct CallPointer: @unchecked Sendable { let raw: OpaquePointer }
    private struct State {
        var call: CallPointer?
        var cancelled = false
        var released = false
    }
    private let state = Mutex(State())

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    func attach(_ call: OpaquePointer) {
        state.withLock { s in
            s.call = CallPointer(raw: call)
            if s.cancelled { cgrpc_call_cancel(call) }
        }
    }

    func cancel() {
        state.withLock { s in
            s.cancelled = true
            if let call = s.call, !s.released { cgrpc_call_cancel(call.raw) }
        }
    }

    func release() {
        state.withLock { s in
            if let call = s.call, !s.released { cgrpc_call_release(call.raw) }
            s.released = true
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive timeout stays positive.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
