/// Internal to the backend: public only until GraftRecipes' frozen scorer moves to tensor ops
/// (branch `kernels`).
///
/// Graft's vectorized elementwise functions on raw buffers, for fused kernels written outside
/// the module (e.g. GraftRecipes' frozen discriminator scorer). They are the same polynomial
/// approximations `Tensor.exp()` and `Tensor.sigmoid()` run (`FastMath`), on one thread.
public enum VectorMath {
    /// y[i] = e^x[i] for i in 0..<count. `x` and `y` may be the same buffer (in place) but must
    /// not otherwise overlap.
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        expArray(x, y, count)
    }

    /// y[i] = 1 / (1 + e^-x[i]) for i in 0..<count. In place allowed.
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        sigmoidArray(x, y, count)
    }
}
