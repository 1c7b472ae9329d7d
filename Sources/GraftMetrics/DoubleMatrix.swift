import Graft

/// Float64 matrix helpers for FID: the products and transposes are Graft's (`Float64Matrix`);
/// symmetrizing is plain array code.
enum DoubleMatrix {
    /// C = A B for A [m, k] and B [k, n].
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        Float64Matrix.multiply(a, b, m: m, k: k, n: n)
    }

    /// C += A B (see `Float64Matrix.multiplyAdd`).
    static func multiplyAdd(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, into c: inout [Double], lowerOnly: Bool = false) {
        Float64Matrix.multiplyAdd(a, b, m: m, k: k, n: n, into: &c, lowerOnly: lowerOnly)
    }

    /// The transpose of A [m, n]: [n, m].
    static func transpose(_ a: [Double], rows m: Int, cols n: Int) -> [Double] { Float64Matrix.transpose(a, rows: m, cols: n) }

    /// (A + A^T) / 2 for a square A [n, n]: removes the asymmetry rounding leaves in a product
    /// that is symmetric in exact arithmetic.
    static func symmetrized(_ a: [Double], n: Int) -> [Double] {
        var s = a
        for i in 0..<n {
            for j in 0..<i {
                let v = 0.5 * (a[i * n + j] + a[j * n + i])
                s[i * n + j] = v
                s[j * n + i] = v
            }
        }
        return s
    }
}
