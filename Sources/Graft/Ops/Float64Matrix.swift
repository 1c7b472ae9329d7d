/// Row-major Float64 matrix products on Swift arrays, for the statistics that need double
/// precision (FID's d × d covariances and eigenvectors): Graft tensors are Float32, and these
/// keep the metric code free of kernels. Parallel over rows of the result; for fixed inputs the
/// result does not depend on the thread count.
public enum Float64Matrix {
    /// C = A B for A [m, k] and B [k, n].
    public static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        Device.default.backend.float64Multiply(a, b, m: m, k: k, n: n)
    }

    /// C += A B for A [m, k], B [k, n] and C [m, n]. With `lowerOnly` (for a product known to be
    /// symmetric, such as XᵀX) only the elements C[i, j] with j <= i are computed: half the work.
    public static func multiplyAdd(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, into c: inout [Double], lowerOnly: Bool = false) {
        Device.default.backend.float64MultiplyAdd(a, b, m: m, k: k, n: n, into: &c, lowerOnly: lowerOnly)
    }

    /// The transpose of A [m, n]: [n, m].
    public static func transpose(_ a: [Double], rows m: Int, cols n: Int) -> [Double] {
        Device.default.backend.float64Transpose(a, rows: m, cols: n)
    }
}
