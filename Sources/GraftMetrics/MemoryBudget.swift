import Foundation

/// How much memory a metric may plan to hold at once. Metrics whose work grows faster than their
/// inputs (FID's d x d covariances grow with the square of the feature count) compare their
/// estimate with it before allocating, and refuse with the estimate instead of being killed.
public struct MemoryBudget: Sendable, Equatable {
    /// The bytes a metric may plan to hold at once, beyond its inputs.
    public let bytes: Double
    /// Where the figure comes from, for messages ("half of the 24.7 GB of physical memory").
    public let source: String

    /// A budget of `bytes`, described by `source`.
    public init(bytes: Double, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The environment variable that sets the budget, in gigabytes (10^9 bytes).
    public static let variable = "GRAFT_MEMORY_GB"

    /// The fraction of physical memory a metric may plan to use by default.
    public static let defaultFraction = 0.5

    /// The budget of this process: `GRAFT_MEMORY_GB` when set, otherwise half of physical memory
    /// (MemTotal in /proc/meminfo, or the cgroup's memory.max when that is smaller).
    public static func system() throws -> MemoryBudget {
        let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let cgroup = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8)
        return try resolve(environment: ProcessInfo.processInfo.environment, meminfo: meminfo, cgroupLimit: cgroup,
                           fallback: Double(ProcessInfo.processInfo.physicalMemory))
    }

    /// The budget from an environment, the text of /proc/meminfo and of a cgroup's memory.max
    /// (either may be missing), and a physical memory size to use when neither gives one.
    static func resolve(environment: [String: String], meminfo: String?, cgroupLimit: String?,
                        fallback: Double) throws -> MemoryBudget {
        if let text = environment[variable] {
            guard let gb = Double(text.trimmingCharacters(in: .whitespaces)), gb > 0, gb.isFinite else {
                throw MetricError("\(variable) must be a positive number of gigabytes, got '\(text)'")
            }
            return MemoryBudget(bytes: gb * 1e9, source: "\(variable)=\(text)")
        }
        var physical = meminfo.flatMap(memTotal) ?? fallback
        var what = "physical memory"
        if let text = cgroupLimit?.trimmingCharacters(in: .whitespacesAndNewlines), let limit = Double(text), limit < physical {
            physical = limit
            what = "the cgroup's memory limit"
        }
        return MemoryBudget(bytes: defaultFraction * physical,
                            source: "half of the \(size(physical)) of \(what); \(variable) sets another")
    }

    /// MemTotal from the text of /proc/meminfo, in bytes.
    static func memTotal(_ meminfo: String) -> Double? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kb = Double(fields[1]) else { return nil }
            return kb * 1024
        }
        return nil
    }

    /// "34.4 GB", "1.9 MB" or "12 KB": a size in decimal units with three significant digits.
    static func size(_ bytes: Double) -> String {
        if bytes >= 1e9 { return String(format: "%.1f GB", bytes / 1e9) }
        if bytes >= 1e6 { return String(format: "%.1f MB", bytes / 1e6) }
        return String(format: "%.0f KB", (bytes / 1e3).rounded(.up))
    }
}

/// A metric's estimate of its peak memory, made from the shapes before anything large is
/// allocated, with what it is for and what to do when it does not fit.
struct MemoryPlan: Sendable, Equatable {
    /// What is being computed and on which inputs ("FID of a.npy and b.npy through 30000 x 30000 covariance matrices").
    let work: String
    /// The estimated peak, in bytes.
    let bytes: Double
    /// What to change when it does not fit ("use fewer features").
    let instead: String

    /// The bytes of one block of pairwise values that `Tensor.reducePairwiseRows` fills (at most
    /// 1024 x 4096 Float32 values).
    static let pairwiseBlock = 4.0 * 1024 * 4096

    /// Throws a one-sentence refusal with the estimate when the plan exceeds `budget`.
    func check(_ budget: MemoryBudget) throws {
        guard bytes > budget.bytes else { return }
        throw MetricError("\(work) needs an estimated \(MemoryBudget.size(bytes)) of memory, more than the "
                          + "\(MemoryBudget.size(budget.bytes)) budget (\(budget.source)), so it was not started: \(instead)")
    }
}
