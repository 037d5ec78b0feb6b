/// A set of CPU numbers in the list form of `taskset -c` and `/proc/*/status` (`Cpus_allowed_list`):
/// numbers and ranges separated by commas, e.g. `1` or `0-3,6`.
public struct CPUList: Sendable, Equatable, CustomStringConvertible {
    /// Distinct and ascending.
    public let cpus: [Int]

    /// glibc's `CPU_SETSIZE`: the CPUs an affinity set can name.
    public static let limit = 1024

    /// The list of `cpus` (numbers below `limit`), in any order, repeats ignored.
    public init(cpus: some Sequence<Int>) { self.cpus = Set(cpus).sorted() }

    /// Nil when `text` is not such a list.
    public init?(parsing text: String) {
        var cpus = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds.first!, let last = bounds.last!,
                first >= 0, first <= last, last < Self.limit
            else { return nil }
            cpus.formUnion(first...last)
        }
        self.init(cpus: cpus)
    }

    /// The list form, consecutive CPUs as ranges: `0-3,6`.
    public var description: String {
        var parts: [String] = []
        var index = cpus.startIndex
        while index < cpus.endIndex {
            var end = index
            while end + 1 < cpus.endIndex, cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
