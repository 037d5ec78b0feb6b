import CGRPCShim
import Testing

@testable import TemporalBridge

@Suite struct CallMetadataTests {
    @Test("the C entries hold each key and value as given, in order, empty and non-ASCII values included")
    func entriesMatchTheMetadata() {
        let metadata = [
            (key: "client-name", value: "temporal-swift"), (key: "temporal-namespace", value: ""),
            (key: "authorization", value: "Bearer k€y"),
        ]
        let entries = CallMetadata(metadata).withEntries { buffer in
            buffer.map { entry in
                let value = UnsafeBufferPointer(start: entry.value, count: entry.value_len)
                return (key: String(cString: entry.key), value: String(decoding: value, as: UTF8.self))
            }
        }
        #expect(entries.map(\.key) == metadata.map(\.key))
        #expect(entries.map(\.value) == metadata.map(\.value))
    }

    @Test("the connection's metadata: client name and version, namespace, and the API key only when set")
    func connectionMetadata() {
        var options = TemporalConnectionOptions(namespace: "orders")
        #expect(options.callMetadata.map(\.key) == ["client-name", "client-version", "temporal-namespace"])
        #expect(options.callMetadata.last?.value == "orders")
        options.apiKey = "secret"
        #expect(options.callMetadata.last?.key == "authorization")
        #expect(options.callMetadata.last?.value == "Bearer secret")
    }
}
