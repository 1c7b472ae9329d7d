import Graft

/// The mean and covariance of a set of feature rows, the summary FID compares. Computing it once
/// per set lets a reference set be compared with many generated sets.
public struct GaussianStatistics: Sendable, Equatable {
    /// The number of rows summarised.
    public let count: Int
    /// The number of features per row.
    public let dimension: Int
    /// The mean of each feature.
    public let mean: [Double]
    /// The unbiased sample covariance (divisor count - 1, as `numpy.cov`), [dimension, dimension]
    /// row-major, exactly symmetric.
    public let covariance: [Double]

    /// Summarises the rows of `features` ([n, d], n >= 2, all values finite), refusing a d x d
    /// covariance that would not fit `budget` (nil: `MemoryBudget.system()`).
    public init(_ features: Tensor, budget: MemoryBudget? = nil) throws {
        let m = try FeatureMatrix(features, name: "features", minRows: 2)
        let d = Double(m.cols)
        try MemoryPlan(work: "the covariance of \(m.rows) rows of \(m.cols) features", bytes: 8 * (d * d + 2 * 256 * d),
                       instead: "use fewer features").check(budget ?? MemoryBudget.system())
        self.init(m)
    }

    /// Summarises validated rows (n >= 2). Rows are centred in Float64 and the covariance is
    /// summed in Float64, 256 rows at a time (the lower half of X_c^T X_c with `DoubleMatrix`,
    /// then mirrored): a covariance accumulated from Float32 products would carry relative noise
    /// of about 1e-7, which turns the zero eigenvalues of a singular covariance (fewer rows than
    /// features) into terms of sqrt(1e-7) in FID's trace.
    init(_ m: FeatureMatrix) {
        let n = m.rows, d = m.cols
        let mean = m.columnMeans()
        var cov = [Double](repeating: 0, count: d * d)
        let chunk = 256
        var r0 = 0
        while r0 < n {
            let rows = min(chunk, n - r0)
            var x = [Double](repeating: 0, count: rows * d)
            for r in 0..<rows {
                for k in 0..<d { x[r * d + k] = Double(m.values[(r0 + r) * d + k]) - mean[k] }
            }
            DoubleMatrix.multiplyAdd(DoubleMatrix.transpose(x, rows: rows, cols: d), x, m: d, k: rows, n: d, into: &cov, lowerOnly: true)
            r0 += rows
        }
        let scale = 1 / Double(n - 1)
        for i in 0..<d {
            for j in 0...i {
                cov[i * d + j] *= scale
                cov[j * d + i] = cov[i * d + j]
            }
        }
        self.init(count: n, mean: mean, covariance: cov)
    }

    /// Statistics computed elsewhere (e.g. a published reference set). `covariance` must be
    /// [d, d] for d = mean.count; it is made exactly symmetric.
    public init(count: Int, mean: [Double], covariance: [Double]) {
        precondition(covariance.count == mean.count * mean.count,
                     "GaussianStatistics: covariance of \(covariance.count) values for \(mean.count) features")
        self.count = count
        self.dimension = mean.count
        self.mean = mean
        self.covariance = covariance
    }
}
