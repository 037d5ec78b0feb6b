import CSched
import Glibc
import OrderCore

/// Keeps every thread of the worker on the CPUs of `WORKER_CPUS`.
///
/// An order passes between the worker's threads ~70 times (the concurrency pool, the gRPC completion queue, a
/// database connection's thread, Redis): each pass wakes a sleeping thread. Woken on the CPU of the thread that
/// woke it, that costs a local switch; on another CPU, an inter-processor interrupt, which in a virtual machine
/// exits to the hypervisor (a pipe round trip between two threads here: 7.5 µs on one CPU, 52 µs across two).
/// On one CPU the shipped configuration's worker used ~13 % less CPU per order (BENCHMARKS.md).
enum CPUAffinity {
    /// Restricts every thread the process has now; threads made later inherit the set from their maker.
    static func restrict(to list: CPUList) throws(CPUAffinityError) {
        var set = affinitySet(of: list)
        let threads = threadIDs()
        for thread in threads.isEmpty ? [0] : threads
        where csched_set_affinity(thread, MemoryLayout<cpu_set_t>.size, &set) != 0 {
            let cause = errno
            // A thread that exited since the listing is no failure; anything else (a CPU outside the process's
            // cgroup or affinity) is the operator's to fix.
            if cause == ESRCH { continue }
            throw CPUAffinityError(requested: list, allowed: allowedCPUs(), errno: cause)
        }
    }

    /// The ids of the process's threads (`/proc/self/task`).
    private static func threadIDs() -> [pid_t] {
        guard let directory = opendir("/proc/self/task") else { return [] }
        defer { closedir(directory) }
        var ids: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { $0.prefix { $0 != 0 } }
            if let id = pid_t(String(decoding: name, as: UTF8.self)) { ids.append(id) }
        }
        return ids
    }

    /// What the process may use, for the error message (`Cpus_allowed_list` of `/proc/self/status`).
    static func allowedCPUs() -> CPUList? {
        var set = cpu_set_t()
        guard csched_get_affinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 else { return nil }
        return cpuList(of: set)
    }

    // cpu_set_t is a bit mask, CPU n at bit n % 8 of byte n / 8 (glibc's CPU_SET and CPU_ISSET, macros Swift
    // does not import).
    private static func affinitySet(of list: CPUList) -> cpu_set_t {
        var set = cpu_set_t()
        withUnsafeMutableBytes(of: &set) { bytes in
            for cpu in list.cpus { bytes[cpu / 8] |= UInt8(1 << (cpu % 8)) }
        }
        return set
    }

    private static func cpuList(of set: cpu_set_t) -> CPUList {
        withUnsafeBytes(of: set) { bytes in
            CPUList(cpus: (0..<bytes.count * 8).filter { bytes[$0 / 8] & UInt8(1 << ($0 % 8)) != 0 })
        }
    }
}

struct CPUAffinityError: Error, CustomStringConvertible {
    let requested: CPUList
    let allowed: CPUList?
    let errno: Int32

    var description: String {
        "WORKER_CPUS=\(requested): cannot keep the worker's threads there (\(String(cString: strerror(errno)))); "
            + "this process may use CPUs \(allowed.map(\.description) ?? "unknown"): choose among them, or unset WORKER_CPUS"
    }
}
