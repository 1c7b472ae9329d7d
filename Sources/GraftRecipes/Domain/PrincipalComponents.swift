import Graft

/// The top principal components of a data matrix, for drawing high-dimensional features in two
/// dimensions (the projections of the DANN figure, Ganin et al. 2016, figure 3, drawn with PCA
/// instead of t-SNE). The covariance C = (X - m)ᵀ(X - m) / (N - 1) is accumulated in Float64 and
/// its leading eigenvectors found by orthogonal (subspace) iteration: Q ← orth(C Q) with
/// Gram-Schmidt, from a seeded start, until every column turns by less than `tolerance`.
public struct PrincipalComponents: Sendable {
    /// The mean of each column of the data, [D].
    public let mean: [Double]
    /// The components as rows of length D, by decreasing variance; each has unit length and its
    /// largest-magnitude entry positive (so the signs are reproducible).
    public let components: [[Double]]
    /// The variance of the data along each component (the eigenvalues of C).
    public let variances: [Double]
    /// The iterations the subspace iteration took.
    public let iterations: Int

    /// The top `count` components of `data` [N, D] (N >= 2, 1 <= count <= D, finite values).
    public init(data: Tensor, count: Int = 2, maxIterations: Int = 1000, tolerance: Double = 1e-12, seed: UInt64 = 0) throws {
        guard data.rank == 2, data.shape[0] >= 2, data.shape[1] >= 1 else {
            throw DANNError.badBatch(what: "PCA data", reason: "expected [N, D] with N >= 2 and D >= 1, got \(data.shape)")
        }
        let (n, d) = (data.shape[0], data.shape[1])
        guard count >= 1 && count <= d else {
            throw DANNError.badBatch(what: "PCA component count", reason: "expected 1...\(d), got \(count)")
        }
        let x = data.scalars.map(Double.init)
        if let bad = x.firstIndex(where: { !$0.isFinite }) {
            throw DANNError.badBatch(what: "PCA data", reason: "row \(bad / d) column \(bad % d) is \(x[bad]); every value must be finite")
        }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        let cov = Self.covariance(x, n: n, d: d, mean: mean)
        // A seeded start: uniform in [-1, 1) then orthonormalised.
        let rng = RandomGenerator(seed: seed)
        var q = (0..<count).map { _ in (0..<d).map { _ in Double(rng.nextFloat()) * 2 - 1 } }
        q = Self.orthonormalise(q, d: d)
        var steps = 0
        while steps < maxIterations {
            steps += 1
            let next = Self.orthonormalise(q.map { Self.multiply(cov, $0, d: d) }, d: d)
            let turn = zip(q, next).map { 1 - abs(Self.dot($0, $1)) }.max() ?? 0
            q = next
            if turn <= tolerance { break }
        }
        // Rayleigh quotients, then sort by them and fix the signs.
        var pairs = q.map { v in (v, Self.dot(v, Self.multiply(cov, v, d: d))) }
        pairs.sort { $0.1 > $1.1 }
        self.mean = mean
        self.components = pairs.map { v, _ in
            let big = v.indices.max { abs(v[$0]) < abs(v[$1]) }!
            return v[big] < 0 ? v.map { -$0 } : v
        }
        self.variances = pairs.map { max($0.1, 0) }
        self.iterations = steps
    }

    /// The coordinates [N, count] of the rows of `data` [N, D] along the components, after
    /// subtracting the mean.
    public func project(_ data: Tensor) throws -> Tensor {
        let d = mean.count
        guard data.rank == 2, data.shape[1] == d else {
            throw DANNError.badBatch(what: "PCA projection", reason: "expected [N, \(d)], got \(data.shape)")
        }
        let n = data.shape[0], x = data.scalars, k = components.count
        var out = [Float](repeating: 0, count: n * k)
        for i in 0..<n {
            for (c, v) in components.enumerated() {
                var s = 0.0
                for j in 0..<d { s += (Double(x[i * d + j]) - mean[j]) * v[j] }
                out[i * k + c] = Float(s)
            }
        }
        return Tensor(out, shape: [n, k])
    }

    /// The upper triangle of C accumulated row by row, then mirrored.
    static func covariance(_ x: [Double], n: Int, d: Int, mean: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        var r = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d { r[j] = x[i * d + j] - mean[j] }
            for a in 0..<d where r[a] != 0 {
                let ra = r[a], row = a * d
                for b in a..<d { c[row + b] += ra * r[b] }
            }
        }
        for a in 0..<d {
            for b in a..<d {
                c[a * d + b] /= Double(n - 1)
                c[b * d + a] = c[a * d + b]
            }
        }
        return c
    }

    /// C v for the symmetric [d, d] matrix C.
    static func multiply(_ c: [Double], _ v: [Double], d: Int) -> [Double] {
        (0..<d).map { a in
            var s = 0.0
            for b in 0..<d { s += c[a * d + b] * v[b] }
            return s
        }
    }

    /// The dot product of two vectors of the same length.
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Gram-Schmidt (twice, for stability) on the vectors in order; a vector that vanishes is
    /// replaced by the first unit axis that is not in the span of the ones before it.
    static func orthonormalise(_ vectors: [[Double]], d: Int) -> [[Double]] {
        var out: [[Double]] = []
        for v in vectors {
            // The vector itself, then (only if it vanishes) each unit axis in turn.
            for candidate in -1..<d {
                var w = candidate < 0 ? v : (0..<d).map { $0 == candidate ? 1.0 : 0.0 }
                let scale = max(w.map(abs).max() ?? 0, 1e-300)
                for _ in 0..<2 {
                    for u in out {
                        let p = dot(w, u)
                        for j in 0..<d { w[j] -= p * u[j] }
                    }
                }
                let norm = dot(w, w).squareRoot()
                if norm > 1e-10 * scale {
                    out.append(w.map { $0 / norm })
                    break
                }
            }
        }
        return out
    }
}
