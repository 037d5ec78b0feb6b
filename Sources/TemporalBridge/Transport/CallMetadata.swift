import CGRPCShim

#if canImport(Glibc)
    import Glibc
#endif

/// The metadata every call of one connection sends (client name and version, namespace, authorization), as the C
/// entries the shim takes, made once for the connection's lifetime: building them per call (a C string and a byte
/// array per entry, then freeing them) cost more than the shim's own copy.
final class CallMetadata: @unchecked Sendable {
    // Immutable after init; the shim only reads the entries, and copies them, while a call starts.
    private let keys: [UnsafeMutablePointer<CChar>]
    private let values: [UnsafeMutablePointer<UInt8>]
    private let entries: [cgrpc_metadata]

    init(_ metadata: [(key: String, value: String)]) {
        let keys = metadata.map { strdup($0.key)! }
        let values = metadata.map { entry in
            let bytes = Array(entry.value.utf8)
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            copy.initialize(from: bytes, count: bytes.count)
            return (copy, bytes.count)
        }
        self.keys = keys
        self.values = values.map(\.0)
        self.entries = zip(keys, values).map { cgrpc_metadata(key: $0, value: $1.0, value_len: $1.1) }
    }

    deinit {
        keys.forEach { free($0) }
        values.forEach { $0.deallocate() }
    }

    func withEntries<R>(_ body: (UnsafeBufferPointer<cgrpc_metadata>) -> R) -> R {
        entries.withUnsafeBufferPointer(body)
    }
}
