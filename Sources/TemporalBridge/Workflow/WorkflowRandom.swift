#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A deterministic random generator (SplitMix64) seeded, as in the official SDKs, from the run id
/// the workflow started with (`original_execution_run_id`), and reseeded from the new run id where
/// a reset took over the history.
/// It is a reference: copies share one stream, so every draw advances the run's sequence, and a
/// reseed reaches every copy.
public struct WorkflowRandom: RandomNumberGenerator, Sendable {
    final class State: @unchecked Sendable {
        var value: UInt64
        init(seed: UInt64) { value = seed }
    }

    let state: State

    init(seed: UInt64) { state = State(seed: seed) }

    init(seedingFrom text: String) {
        self.init(seed: Self.seed(from: text))
    }

    /// Restarts the stream from `text` (a reset's new run id); every copy follows.
    func reseed(from text: String) {
        state.value = Self.seed(from: text)
    }

    private static func seed(from text: String) -> UInt64 {
        // FNV-1a: stable across processes, unlike Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    public mutating func next() -> UInt64 {
        state.value &+= 0x9e37_79b9_7f4a_7c15
        var z = state.value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A version-4 UUID drawn from this stream.
    public mutating func uuid() -> UUID {
        let a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
