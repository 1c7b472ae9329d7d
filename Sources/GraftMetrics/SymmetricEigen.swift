/// The eigendecomposition A = V diag(values) V^T of a real symmetric matrix, in Float64:
/// Householder reduction to tridiagonal form, then the QL algorithm with implicit Wilkinson
/// shifts (Wilkinson & Reinsch, Handbook for Automatic Computation II, 1971, routines tred2 and
/// tql2; the formulation of Press et al., Numerical Recipes, 3rd ed., section 11.3-11.4). Both
/// stages are backward stable: the computed eigenvalues are exact for a matrix within a few
/// ulps of A (relative to its norm). The loops are arranged to walk rows, not columns, so that
/// matrices of a few thousand rows take seconds.
public struct SymmetricEigen: Sendable {
    /// The order of the matrix.
    public let n: Int
    /// The eigenvalues, ascending.
    public let values: [Double]
    /// The orthonormal eigenvectors as rows: `vectors[i * n ..< (i + 1) * n]` belongs to
    /// `values[i]`. Empty when the decomposition was made without vectors.
    public let vectors: [Double]

    /// Decomposes the symmetric `matrix` ([n, n] row-major). Only the lower triangle is read
    /// after a check that the matrix is symmetric to within 1e-8 of its largest element.
    /// `withVectors: false` computes the eigenvalues only (about three times faster).
    public init(matrix: [Double], n: Int, withVectors: Bool = true) throws {
        guard n >= 1 && matrix.count == n * n else {
            throw MetricError("SymmetricEigen: expected \(n) x \(n) = \(max(0, n) * max(0, n)) values, got \(matrix.count)")
        }
        var largest = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let v = matrix[i * n + j]
                guard v.isFinite else { throw MetricError("SymmetricEigen: element (\(i), \(j)) is \(v); every element must be finite") }
                largest = max(largest, abs(v))
            }
        }
        for i in 0..<n {
            for j in 0..<i where abs(matrix[i * n + j] - matrix[j * n + i]) > 1e-8 * largest {
                throw MetricError("SymmetricEigen: the matrix is not symmetric: element (\(i), \(j)) is \(matrix[i * n + j]), "
                                  + "element (\(j), \(i)) is \(matrix[j * n + i])")
            }
        }
        var z = matrix
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        Self.tridiagonalize(&z, n: n, d: &d, e: &e, vectors: withVectors)
        // The eigenvectors are the columns of z: store them as rows for the QL sweeps.
        var rows = withVectors ? DoubleMatrix.transpose(z, rows: n, cols: n) : []
        try Self.implicitQL(d: &d, e: &e, rows: &rows, n: n)
        let order = (0..<n).sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }
        self.n = n
        self.values = order.map { d[$0] }
        if withVectors {
            var sorted = [Double](repeating: 0, count: n * n)
            for (to, from) in order.enumerated() {
                for k in 0..<n { sorted[to * n + k] = rows[from * n + k] }
            }
            self.vectors = sorted
        } else {
            self.vectors = []
        }
    }

    /// The eigenvalues of the symmetric `matrix` ([n, n] row-major), ascending.
    public static func eigenvalues(_ matrix: [Double], n: Int) throws -> [Double] {
        try SymmetricEigen(matrix: matrix, n: n, withVectors: false).values
    }

    /// Householder reduction of the symmetric z (lower triangle) to tridiagonal form: diagonal in
    /// d, subdiagonal in e[1...]; with `vectors`, z is replaced by the orthogonal transformation.
    private static func tridiagonalize(_ z: inout [Double], n: Int, d: inout [Double], e: inout [Double], vectors: Bool) {
        var p = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            let l = i - 1
            var h = 0.0
            let zi = i * n
            if l > 0 {
                var scale = 0.0
                for k in 0..<i { scale += abs(z[zi + k]) }
                if scale == 0 {
                    e[i] = z[zi + l]
                } else {
                    for k in 0..<i {
                        z[zi + k] /= scale
                        h += z[zi + k] * z[zi + k]
                    }
                    var f = z[zi + l]
                    var g = f >= 0 ? -h.squareRoot() : h.squareRoot()
                    e[i] = scale * g
                    h -= f * g
                    z[zi + l] = f - g
                    // p = A u, with A the leading i x i block (lower triangle) and u = row i.
                    for j in 0..<i { p[j] = 0 }
                    for j in 0..<i {
                        if vectors { z[j * n + i] = z[zi + j] / h }
                        let zj = j * n
                        let uj = z[zi + j]
                        var acc = 0.0
                        for k in 0..<j {
                            acc += z[zj + k] * z[zi + k]
                            p[k] += z[zj + k] * uj
                        }
                        p[j] += acc + z[zj + j] * uj
                    }
                    f = 0
                    for j in 0..<i {
                        e[j] = p[j] / h
                        f += e[j] * z[zi + j]
                    }
                    let hh = f / (h + h)
                    for j in 0..<i {
                        f = z[zi + j]
                        g = e[j] - hh * f
                        e[j] = g
                        let zj = j * n
                        for k in 0...j { z[zj + k] -= f * e[k] + g * z[zi + k] }
                    }
                }
            } else {
                e[i] = z[zi + l]
            }
            d[i] = h
        }
        if vectors { d[0] = 0 }
        e[0] = 0
        var g = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let zi = i * n
            if vectors {
                if d[i] != 0 {
                    for j in 0..<i { g[j] = 0 }
                    for k in 0..<i {
                        let zik = z[zi + k], zk = k * n
                        for j in 0..<i { g[j] += zik * z[zk + j] }
                    }
                    for k in 0..<i {
                        let zki = z[k * n + i], zk = k * n
                        for j in 0..<i { z[zk + j] -= g[j] * zki }
                    }
                }
                d[i] = z[zi + i]
                z[zi + i] = 1
                for j in 0..<i {
                    z[j * n + i] = 0
                    z[zi + j] = 0
                }
            } else {
                d[i] = z[zi + i]
            }
        }
    }

    /// The QL algorithm with implicit shifts on the tridiagonal (d, e); with `rows`, applies the
    /// same rotations to the rows holding the eigenvectors.
    private static func implicitQL(d: inout [Double], e: inout [Double], rows: inout [Double], n: Int) throws {
        for i in 1..<max(1, n) { e[i - 1] = e[i] }
        e[n - 1] = 0
        for l in 0..<n {
            var iterations = 0
            var m = l
            repeat {
                m = l
                while m < n - 1 {
                    let dd = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) <= Double.ulpOfOne * dd { break }
                    m += 1
                }
                if m != l {
                    iterations += 1
                    guard iterations <= 60 else {
                        throw MetricError("SymmetricEigen: the QL iteration did not converge for eigenvalue \(l)")
                    }
                    var g = (d[l + 1] - d[l]) / (2 * e[l])
                    var r = Self.hypotenuse(g, 1)
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
                    var s = 1.0, c = 1.0, p = 0.0
                    var i = m - 1
                    var deflated = false
                    while i >= l {
                        let f = s * e[i]
                        let b = c * e[i]
                        r = Self.hypotenuse(f, g)
                        e[i + 1] = r
                        if r == 0 {
                            d[i + 1] -= p
                            e[m] = 0
                            deflated = true
                            break
                        }
                        s = f / r
                        c = g / r
                        g = d[i + 1] - p
                        r = (d[i] - g) * s + 2 * c * b
                        p = s * r
                        d[i + 1] = g + p
                        g = c * r - b
                        if !rows.isEmpty {
                            let upper = (i + 1) * n, lower = i * n
                            for k in 0..<n {
                                let t = rows[upper + k]
                                rows[upper + k] = s * rows[lower + k] + c * t
                                rows[lower + k] = c * rows[lower + k] - s * t
                            }
                        }
                        i -= 1
                    }
                    if deflated { continue }
                    d[l] -= p
                    e[l] = g
                    e[m] = 0
                }
            } while m != l
        }
    }

    /// sqrt(a^2 + b^2) without overflow or underflow in the squares.
    private static func hypotenuse(_ a: Double, _ b: Double) -> Double {
        let x = abs(a), y = abs(b)
        if x > y { let t = y / x; return x * (1 + t * t).squareRoot() }
        if y == 0 { return 0 }
        let t = x / y
        return y * (1 + t * t).squareRoot()
    }
}
