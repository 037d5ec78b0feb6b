#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The host's CPU and memory use as fractions (0.0–1.0 of all cores, of all memory), for worker
/// heartbeats. Linux only (`/proc/stat`, `/proc/meminfo`); elsewhere both read 0.
///
/// CPU use is measured between two calls (the first call measures since boot), so a heartbeat
/// reports the use over the interval since the previous one.
final class HostUsage: @unchecked Sendable {
    private let lock = Lock()
    private var previous: (busy: UInt64, total: UInt64)?

    func sample() -> (cpu: Float, memory: Float) {
        (cpu: cpuUse(), memory: memoryUse())
    }

    private func cpuUse() -> Float {
        // "cpu  user nice system idle iowait irq softirq steal ..." (USER_HZ ticks since boot)
        guard let line = Self.read("/proc/stat")?.split(separator: "\n").first, line.hasPrefix("cpu ") else {
            return 0
        }
        let ticks = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard ticks.count >= 4 else { return 0 }
        let total = ticks.prefix(8).reduce(0, +)
        let idle = ticks[3] + (ticks.count > 4 ? ticks[4] : 0)
        let now = (busy: total - idle, total: total)
        let before = lock.withLock {
            defer { previous = now }
            return previous ?? (0, 0)
        }
        guard now.total > before.total, now.busy >= before.busy else { return 0 }
        return Float(now.busy - before.busy) / Float(now.total - before.total)
    }

    private func memoryUse() -> Float {
        guard let text = Self.read("/proc/meminfo") else { return 0 }
        var total: UInt64?
        var available: UInt64?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2 else { continue }
            if fields[0] == "MemTotal:" { total = UInt64(fields[1]) }
            if fields[0] == "MemAvailable:" { available = UInt64(fields[1]) }
        }
        guard let total, let available, total > 0, available <= total else { return 0 }
        return Float(total - available) / Float(total)
    }

    /// A small procfs file (their reported size is 0, so read until EOF).
    private static func read(_ path: String) -> String? {
        #if canImport(Glibc)
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += buffer[0..<count]
                if bytes.count > 1 << 20 { break }
            }
            return String(decoding: bytes, as: UTF8.self)
        #else
            return nil
        #endif
    }
}
