/// FID through n x n matrices, for sets with fewer rows than features: the same value as the
/// covariance route without its d x d matrices ([2, 65536] features would need 34 GB each).
///
/// With X1 [n1, d] and X2 [n2, d] the rows centred on their means, Sigma_k = X_k^T X_k / (n_k - 1),
/// so tr(Sigma_k) = ||X_k||_F^2 / (n_k - 1), and
///
///     Sigma_1 Sigma_2 = X1^T (X1 X2^T X2) / ((n1 - 1)(n2 - 1)).
///
/// P Q and Q P have the same nonzero eigenvalues, so with P = X1^T and Q = X1 X2^T X2 those of
/// Sigma_1 Sigma_2 are the eigenvalues of K K^T / ((n1 - 1)(n2 - 1)), K = X1 X2^T [n1, n2]: a
/// symmetric positive semi-definite n1 x n1 matrix. Sigma_1 Sigma_2 is similar to the positive
/// semi-definite Sigma_1^(1/2) Sigma_2 Sigma_1^(1/2), so
///
///     tr((Sigma_1 Sigma_2)^(1/2)) = sum_i sqrt(mu_i(K K^T)) / sqrt((n1 - 1)(n2 - 1)),
///
/// the nuclear norm of K over sqrt((n1 - 1)(n2 - 1)). Set 1 is the smaller set; K K^T is summed
/// over chunks of 256 rows of the larger set (K K^T = sum over rows r of X2 of (X1 r)(X1 r)^T),
/// in Float64. K K^T has rank at most r = min(n1 - 1, n2 - 1, d) (centring makes the rows of each
/// set sum to zero): only its r largest eigenvalues count, and of those only the ones above n1
/// ulps of the largest; the rest are rounding noise of zeros, as in `FID.traceSqrtProduct`.
enum FIDGram {
    /// FID between validated matrices of the same width, through the Gram matrix of the smaller.
    static func distance(_ a: FeatureMatrix, _ b: FeatureMatrix) throws -> FIDResult {
        let d = a.cols
        let (small, large) = a.rows <= b.rows ? (a, b) : (b, a)
        let (meanS, meanL) = (small.columnMeans(), large.columnMeans())
        var meanTerm = 0.0
        for k in 0..<d { let t = meanS[k] - meanL[k]; meanTerm += t * t }
        let n1 = small.rows
        let (centred, squaresS) = centredRows(small, meanS, from: 0, count: n1)
        let smallT = DoubleMatrix.transpose(centred, rows: n1, cols: d)              // X1^T [d, n1]
        var gram = [Double](repeating: 0, count: n1 * n1)
        var squaresL = 0.0
        var r0 = 0
        while r0 < large.rows {
            let rows = min(FIDPlan.chunkRows, large.rows - r0)
            let (chunk, squares) = centredRows(large, meanL, from: r0, count: rows)
            squaresL += squares
            let kt = DoubleMatrix.multiply(chunk, smallT, m: rows, k: d, n: n1)     // (X1 X2_chunk^T)^T [rows, n1]
            DoubleMatrix.multiplyAdd(DoubleMatrix.transpose(kt, rows: rows, cols: n1), kt, m: n1, k: rows, n: n1,
                                     into: &gram, lowerOnly: true)
            r0 += rows
        }
        for i in 0..<n1 {
            for j in 0..<i { gram[j * n1 + i] = gram[i * n1 + j] }
        }
        let mu = try SymmetricEigen.eigenvalues(gram, n: n1)                        // ascending
        let floor = (mu.last ?? 0) * Double(n1) * Double.ulpOfOne
        let rank = min(n1 - 1, large.rows - 1, d)
        let (dofS, dofL) = (Double(n1 - 1), Double(large.rows - 1))
        let cross = mu.suffix(rank).reduce(0) { $0 + ($1 > floor ? $1.squareRoot() : 0) } / (dofS * dofL).squareRoot()
        let (trS, trL) = (squaresS / dofS, squaresL / dofL)
        let (trA, trB) = a.rows <= b.rows ? (trS, trL) : (trL, trS)
        return FIDResult(fid: meanTerm + trA + trB - 2 * cross, meanDistanceSquared: meanTerm,
                         traceA: trA, traceB: trB, traceSqrtProduct: cross, dimension: d)
    }

    /// Rows `from ..< from + count` of `m` minus `mean`, in Float64 [count, d], and the sum of
    /// their squares.
    static func centredRows(_ m: FeatureMatrix, _ mean: [Double], from: Int, count: Int) -> ([Double], Double) {
        let d = m.cols
        var out = [Double](repeating: 0, count: count * d)
        var squares = 0.0
        for r in 0..<count {
            let base = (from + r) * d
            for k in 0..<d {
                let v = Double(m.values[base + k]) - mean[k]
                out[r * d + k] = v
                squares += v * v
            }
        }
        return (out, squares)
    }
}
