import Graft

/// The Fréchet distance between two sets of features and its parts.
public struct FIDResult: Sendable, Equatable {
    /// The Fréchet Inception Distance: `meanDistanceSquared + traceA + traceB - 2 * traceSqrtProduct`.
    public let fid: Double
    /// ||mu_A - mu_B||^2.
    public let meanDistanceSquared: Double
    /// tr(Sigma_A).
    public let traceA: Double
    /// tr(Sigma_B).
    public let traceB: Double
    /// tr((Sigma_A Sigma_B)^(1/2)).
    public let traceSqrtProduct: Double
    /// The number of features per row.
    public let dimension: Int
}

/// The Fréchet Inception Distance (Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
/// Converge to a Local Nash Equilibrium", NeurIPS 2017, equation 6): the Fréchet (2-Wasserstein)
/// distance between Gaussians fitted to two feature sets,
///
///     d^2 = ||mu_A - mu_B||^2 + tr(Sigma_A + Sigma_B - 2 (Sigma_A Sigma_B)^(1/2)),
///
/// on any feature matrices (Inception pool features, a classifier's penultimate layer, ...).
///
/// The matrix square root is computed properly, in Float64: Sigma_A Sigma_B is not symmetric,
/// but it is similar to the symmetric positive semi-definite M = Sigma_A^(1/2) Sigma_B
/// Sigma_A^(1/2), so tr((Sigma_A Sigma_B)^(1/2)) = tr(M^(1/2)) = sum_i sqrt(mu_i(M)). With
/// Sigma_A = V diag(lambda) V^T (a symmetric eigendecomposition), M is orthogonally similar to
/// B = diag(sqrt lambda) V^T Sigma_B V diag(sqrt lambda), whose eigenvalues a second symmetric
/// eigendecomposition gives. Eigenvalues that rounding makes slightly negative count as 0; no
/// complex parts arise, unlike `scipy.linalg.sqrtm` on the non-symmetric product.
///
/// When a set has fewer rows than features, the same value comes from n x n matrices instead
/// (`FIDGram`); the memory of the route taken is estimated first (`FIDPlan`) and a plan beyond
/// the budget is refused with the estimate. Values beyond about 5e14 are scaled by a power of two
/// first (`RangeScale`), and a result that is not finite is an error naming both sets.
public enum FID {
    /// FID between the rows of `a` ([n, d], n >= 2) and `b` ([m, d], m >= 2), within `budget`
    /// (nil: `MemoryBudget.system()`).
    public static func evaluate(_ a: Tensor, _ b: Tensor, budget: MemoryBudget? = nil) throws -> FIDResult {
        let fa = try FeatureMatrix(a, name: "first set", minRows: 2)
        let fb = try FeatureMatrix(b, name: "second set", minRows: 2)
        return try evaluate(fa, fb, budget: budget)
    }

    /// FID between two validated feature matrices, by the route `FIDPlan` chooses.
    static func evaluate(_ a: FeatureMatrix, _ b: FeatureMatrix, budget: MemoryBudget? = nil) throws -> FIDResult {
        try a.requireSameWidth(as: b)
        let plan = FIDPlan(rowsA: a.rows, rowsB: b.rows, features: a.cols, nameA: a.name, nameB: b.name)
        let budget = try budget ?? MemoryBudget.system()
        try plan.memory.check(budget)
        let largest = max(a.largestMagnitude, b.largestMagnitude)
        let s = RangeScale.factor(forSquared: 4 * largest * largest)
        let (sa, sb) = (a.scaled(by: s), b.scaled(by: s))
        let scaled = plan.route == .gram ? try FIDGram.distance(sa, sb)
            : try distance(GaussianStatistics(sa), GaussianStatistics(sb), budget: budget)
        let r = scaled.unscaled(by: s)
        for (what, v) in [("FID", r.fid), ("tr(Sigma_a)", r.traceA), ("tr(Sigma_b)", r.traceB)] where !v.isFinite {
            throw MetricError("FID of \(a.name) and \(b.name): \(what) is \(v), beyond Float64's range")
        }
        return r
    }

    /// FID between two Gaussians given by their statistics, within `budget` (nil:
    /// `MemoryBudget.system()`) for the four more d x d matrices the square root needs.
    public static func distance(_ a: GaussianStatistics, _ b: GaussianStatistics, budget: MemoryBudget? = nil) throws -> FIDResult {
        guard a.dimension == b.dimension else {
            throw MetricError("FID: the first statistics have \(a.dimension) features, the second \(b.dimension)")
        }
        let d = a.dimension
        try MemoryPlan(work: "FID of two Gaussians of \(d) features", bytes: 32 * Double(d) * Double(d),
                       instead: "use fewer features").check(budget ?? MemoryBudget.system())
        var meanTerm = 0.0
        for k in 0..<d { let t = a.mean[k] - b.mean[k]; meanTerm += t * t }
        var trA = 0.0, trB = 0.0
        for k in 0..<d { trA += a.covariance[k * d + k]; trB += b.covariance[k * d + k] }
        let cross = try traceSqrtProduct(a.covariance, b.covariance, n: d)
        return FIDResult(fid: meanTerm + trA + trB - 2 * cross, meanDistanceSquared: meanTerm,
                         traceA: trA, traceB: trB, traceSqrtProduct: cross, dimension: d)
    }

    /// tr((S1 S2)^(1/2)) for symmetric positive semi-definite S1, S2 ([n, n]), through two
    /// symmetric eigendecompositions (see the type's documentation). Directions where S1 has no
    /// variance contribute nothing and are dropped before the products: eigenvalues of S1 below
    /// n ulps of its largest are rounding noise of a zero (a covariance of fewer rows than
    /// features is singular), and kept they would add sqrt(noise) each to the trace.
    public static func traceSqrtProduct(_ s1: [Double], _ s2: [Double], n: Int) throws -> Double {
        let eig = try SymmetricEigen(matrix: s1, n: n)
        let floor = (eig.values.last ?? 0) * Double(n) * Double.ulpOfOne
        let kept = (0..<n).filter { eig.values[$0] > floor }
        let r = kept.count
        guard r > 0 else { return 0 }
        var e = [Double](repeating: 0, count: r * n)      // kept eigenvectors, as rows
        for (row, i) in kept.enumerated() {
            for k in 0..<n { e[row * n + k] = eig.vectors[i * n + k] }
        }
        let u = DoubleMatrix.multiply(e, s2, m: r, k: n, n: n)                      // V_r^T S2
        var bmat = DoubleMatrix.multiply(u, DoubleMatrix.transpose(e, rows: r, cols: n), m: r, k: n, n: r)
        let roots = kept.map { eig.values[$0].squareRoot() }
        for i in 0..<r {
            for j in 0..<r { bmat[i * r + j] *= roots[i] * roots[j] }
        }
        let mu = try SymmetricEigen.eigenvalues(DoubleMatrix.symmetrized(bmat, n: r), n: r)
        return mu.reduce(0) { $0 + max(0, $1).squareRoot() }
    }
}

extension FIDResult {
    /// The result for rows that were multiplied by `s`: every term divided by s^2.
    func unscaled(by s: Double) -> FIDResult {
        guard s != 1 else { return self }
        let u = 1 / (s * s)
        return FIDResult(fid: fid * u, meanDistanceSquared: meanDistanceSquared * u, traceA: traceA * u, traceB: traceB * u,
                         traceSqrtProduct: traceSqrtProduct * u, dimension: dimension)
    }
}
