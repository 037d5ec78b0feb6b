import CGRPCShim

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Owns one `cgrpc_channel` (and through it the completion-queue thread).
/// The shim is thread-safe, so the pointer may be used from any task.
final class GRPCChannel: Sendable {
    nonisolated(unsafe) let pointer: OpaquePointer

    init(target: String, tls: TemporalConnectionOptions.TLS?) throws {
        guard let tls else {
            guard let channel = cgrpc_channel_create(target, nil) else {
                throw TemporalConnectionError.channelCreationFailed(target: target)
            }
            pointer = channel
            return
        }
        if (tls.certFile == nil) != (tls.keyFile == nil) { throw TemporalConnectionError.incompleteClientCertificate }
        let ca = try tls.caFile.map(Self.readPEM)
        let cert = try tls.certFile.map(Self.readPEM)
        let key = try tls.keyFile.map(Self.readPEM)
        let channel = Self.withOptionalCString(ca) { caPtr in
            Self.withOptionalCString(cert) { certPtr in
                Self.withOptionalCString(key) { keyPtr in
                    Self.withOptionalCString(tls.serverNameOverride) { namePtr in
                        var options = cgrpc_tls_options(
                            ca_pem: caPtr, cert_pem: certPtr, key_pem: keyPtr, server_name_override: namePtr)
                        return cgrpc_channel_create(target, &options)
                    }
                }
            }
        }
        guard let channel else { throw TemporalConnectionError.channelCreationFailed(target: target) }
        pointer = channel
    }

    deinit {
        // Cancels what is still in flight and joins the queue thread (milliseconds).
        cgrpc_channel_destroy(pointer)
    }

    var callsInFlight: Int { cgrpc_channel_inflight(pointer) }

    private static func readPEM(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemporalConnectionError.unreadableTLSFile(path: path)
        }
        return text
    }

    private static func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let string else { return body(nil) }
        return string.withCString { body($0) }
    }
}
