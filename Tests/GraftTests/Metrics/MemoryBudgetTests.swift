import Foundation
import Testing
@testable import Graft
@testable import GraftData
@testable import GraftMetrics

/// Issue 25, finding 2: metrics estimate their memory from the shapes and refuse, with the
/// estimate and what to do instead, what does not fit.
@Suite struct MemoryBudgetTests {
    let meminfo = "MemTotal:       24683772 kB\nMemFree:        18247312 kB\nMemAvailable:   22058976 kB\n"

    @Test func theBudgetIsHalfOfPhysicalMemoryOrTheVariable() throws {
        let half = try MemoryBudget.resolve(environment: [:], meminfo: meminfo, cgroupLimit: "max\n", fallback: 1)
        #expect(half.bytes == 0.5 * 24683772 * 1024)
        #expect(half.source == "half of the 25.3 GB of physical memory; GRAFT_MEMORY_GB sets another")
        let cgroup = try MemoryBudget.resolve(environment: [:], meminfo: meminfo, cgroupLimit: "8000000000\n", fallback: 1)
        #expect(cgroup.bytes == 4e9 && cgroup.source.contains("8.0 GB of the cgroup's memory limit"))
        let none = try MemoryBudget.resolve(environment: [:], meminfo: nil, cgroupLimit: nil, fallback: 2e9)
        #expect(none.bytes == 1e9)
        let set = try MemoryBudget.resolve(environment: ["GRAFT_MEMORY_GB": "2.5"], meminfo: meminfo, cgroupLimit: nil, fallback: 1)
        #expect(set == MemoryBudget(bytes: 2.5e9, source: "GRAFT_MEMORY_GB=2.5"))
        for bad in ["abc", "-1", "0", "", "inf"] {
            #expect(thrownText { try MemoryBudget.resolve(environment: ["GRAFT_MEMORY_GB": bad], meminfo: nil, cgroupLimit: nil, fallback: 1) }
                == "GRAFT_MEMORY_GB must be a positive number of gigabytes, got '\(bad)'")
        }
        #expect(try MemoryBudget.system().bytes > 0)
    }

    @Test func fidThatCannotFitIsRefusedWithItsEstimate() {
        let plan = FIDPlan(rowsA: 40000, rowsB: 50000, features: 40000, nameA: "real.npy", nameB: "fake.npy")
        #expect(plan.route == .covariance)
        let budget = MemoryBudget(bytes: 16e9, source: "half of the 32.0 GB of physical memory; GRAFT_MEMORY_GB sets another")
        #expect(thrownText { try plan.memory.check(budget) }
            == "FID of real.npy [40000, 40000] and fake.npy [50000, 40000] through 40000 x 40000 covariance matrices needs an "
            + "estimated 77.0 GB of memory, more than the 16.0 GB budget (half of the 32.0 GB of physical memory; GRAFT_MEMORY_GB "
            + "sets another), so it was not started: use fewer features (a smaller feature layer or a random projection), or fewer "
            + "rows than features in one set, which FID handles through n x n matrices")
        #expect(thrownText { try plan.memory.check(MemoryBudget(bytes: 80e9, source: "test")) } == "accepted")
    }

    @Test func filesAreRefusedBeforeAnythingLargeIsAllocated() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rng = RandomGenerator(seed: 8)
        func file(_ name: String, _ n: Int, _ d: Int) throws -> String {
            let url = dir.appendingPathComponent(name)
            try NPY.write(Tensor((0..<(n * d)).map { _ in rng.nextNormal() }, shape: [n, d]), to: url)
            return url.path
        }
        let a = try file("a.npy", 300, 200), b = try file("b.npy", 250, 200)
        let tiny = MemoryBudget(bytes: 1e6, source: "test budget")
        let fid = thrownText { try EvalFiles.fid(a, b, budget: tiny) }
        #expect(fid.hasPrefix("FID of \(a) [300, 200] and \(b) [250, 200] through 200 x 200 covariance matrices needs an estimated 2.7 MB"))
        #expect(fid.contains("more than the 1.0 MB budget (test budget)"))
        let kid = thrownText { try EvalFiles.kid(a, b, subsets: 2, budget: tiny) }
        #expect(kid.hasPrefix("KID of \(a) and \(b) on subsets of 250 rows of 200 features needs an estimated"), "\(kid)")
        #expect(kid.hasSuffix("use smaller subsets (--subset-size) or fewer features"))
        let parzen = thrownText { try EvalFiles.parzen(samples: a, test: b, validation: b, budget: tiny) }
        #expect(parzen.hasPrefix("Parzen windows of \(a) [300, 200] on \(b) [250, 200] and \(b) [250, 200] needs"), "\(parzen)")
        let pr = thrownText { try EvalFiles.precisionRecall(real: a, fake: b, budget: tiny) }
        #expect(pr.hasPrefix("precision and recall of \(b) [250, 200] against \(a) [300, 200] needs an estimated"), "\(pr)")
        #expect(thrownText { try GaussianStatistics(Tensor.zeros([3, 400]), budget: tiny) }.hasPrefix(
            "the covariance of 3 rows of 400 features needs an estimated 2.9 MB of memory"))
        // The same files within an ordinary budget.
        #expect(thrownText { try EvalFiles.fid(a, b) }.hasPrefix("accepted"))
    }
}
