import Graft

/// The Kernel Inception Distance over random subsets: its mean and spread.
public struct KIDResult: Sendable, Equatable {
    /// The mean of the subset estimates of MMD^2.
    public let mean: Double
    /// Their standard deviation (divisor: the number of subsets, as `numpy.std`).
    public let std: Double
    /// The estimate of each subset, in order.
    public let subsetValues: [Double]
    /// Rows per subset, from each set.
    public let subsetSize: Int
}

/// The Kernel Inception Distance (Bińkowski et al., "Demystifying MMD GANs", ICLR 2018,
/// section 4 / appendix: the unbiased estimator of squared MMD, equation 4 of Gretton et al.
/// 2012 with the cross term over all m^2 pairs) with the cubic polynomial kernel
/// k(x, y) = (x.y / d + 1)^3:
///
///     MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
///             - 2 sum_{i, j} k(x_i, y_j) / m^2
///
/// averaged over `subsets` pairs of subsets of `subsetSize` rows drawn without replacement from
/// each set, as in the authors' `polynomial_mmd_averages`. Subset s takes the first `subsetSize`
/// entries of `RandomGenerator(seed:).permutation(n)` for the first set and then for the second,
/// drawing both permutations for subset 0 before subset 1: the same seed gives the same subsets.
/// Dot products come from SGEMM; those that overflow Float32 there (rows with values near 1e19)
/// are recomputed exactly in Float64. Kernel values and sums are Float64 (they stay finite for
/// any Float32 inputs: at most (3.4e38^2 + 1)^3, about 1e231), and a subset whose estimate is
/// not finite all the same is an error naming both sets.
public enum KID {
    /// KID between the rows of `a` ([n, d]) and `b` ([m, d]). `subsetSize` defaults to
    /// min(1000, n, m) and must be between 2 and min(n, m); the memory of a subset pair must fit
    /// `budget` (nil: `MemoryBudget.system()`).
    public static func evaluate(_ a: Tensor, _ b: Tensor, subsets: Int = 100, subsetSize: Int? = nil, seed: UInt64 = 0,
                                budget: MemoryBudget? = nil) throws -> KIDResult {
        let fa = try FeatureMatrix(a, name: "first set", minRows: 2)
        let fb = try FeatureMatrix(b, name: "second set", minRows: 2)
        return try evaluate(fa, fb, subsets: subsets, subsetSize: subsetSize, seed: seed, budget: budget)
    }

    /// The peak memory of one subset pair of `m` rows of `d` features: the two selections and
    /// their tensor copies (Float32), one block of dot products and the row sums.
    static func plan(_ a: FeatureMatrix, _ b: FeatureMatrix, subsetSize m: Int) -> MemoryPlan {
        MemoryPlan(work: "KID of \(a.name) and \(b.name) on subsets of \(m) rows of \(a.cols) features",
                   bytes: 4 * 4 * Double(m) * Double(a.cols) + MemoryPlan.pairwiseBlock + 16 * Double(m),
                   instead: "use smaller subsets (--subset-size) or fewer features")
    }

    /// KID between two validated feature matrices.
    static func evaluate(_ a: FeatureMatrix, _ b: FeatureMatrix, subsets: Int, subsetSize: Int?, seed: UInt64,
                         budget: MemoryBudget? = nil) throws -> KIDResult {
        try a.requireSameWidth(as: b)
        let m = subsetSize ?? min(1000, a.rows, b.rows)
        guard m >= 2 && m <= min(a.rows, b.rows) else {
            throw MetricError("KID: the subset size must be between 2 and \(min(a.rows, b.rows)) (the rows of the smaller set), got \(m)")
        }
        guard subsets >= 1 else { throw MetricError("KID: the number of subsets must be at least 1, got \(subsets)") }
        try plan(a, b, subsetSize: m).check(budget ?? MemoryBudget.system())
        let rng = RandomGenerator(seed: seed)
        var values = [Double]()
        for s in 0..<subsets {
            let x = a.selecting(Array(rng.permutation(a.rows).prefix(m)))
            let y = b.selecting(Array(rng.permutation(b.rows).prefix(m)))
            let v = unbiasedMMD2(x, y)
            guard v.isFinite else {
                throw MetricError("KID of \(a.name) and \(b.name): subset \(s) gives MMD^2 = \(v), which is not a finite number")
            }
            values.append(v)
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return KIDResult(mean: mean, std: variance.squareRoot(), subsetValues: values, subsetSize: m)
    }

    /// The unbiased MMD^2 estimate between two sets of the same number of rows.
    static func unbiasedMMD2(_ x: FeatureMatrix, _ y: FeatureMatrix) -> Double {
        let m = Double(x.rows)
        let (xt, yt) = (x.tensor, y.tensor)
        let xx = kernelSum(x, xt, x, xt, skipDiagonal: true)
        let yy = kernelSum(y, yt, y, yt, skipDiagonal: true)
        let xy = kernelSum(x, xt, y, yt, skipDiagonal: false)
        return (xx + yy) / (m * (m - 1)) - 2 * xy / (m * m)
    }

    /// The sum of (a_i . b_j / d + 1)^3 over all pairs, or over i != j, with `at` and `bt` the
    /// tensors of `a` and `b`: a dot product that overflowed the SGEMM is recomputed from the rows.
    static func kernelSum(_ a: FeatureMatrix, _ at: Tensor, _ b: FeatureMatrix, _ bt: Tensor, skipDiagonal: Bool) -> Double {
        let d = Double(a.cols)
        let rowSums = Tensor.reducePairwiseRows(at, bt, measure: .dots(scale: 1 / Float(a.cols)), initial: 0.0) { sum, row, line in
            var acc = 0.0
            for j in 0..<line.count where !(skipDiagonal && line.columns.lowerBound + j == row) {
                let v = line[j]
                let t = (v.isFinite ? Double(v) : a.dot(row: row, with: b, row: line.columns.lowerBound + j) / d) + 1
                acc += t * t * t
            }
            sum += acc
        }
        return rowSums.reduce(0, +)
    }
}
