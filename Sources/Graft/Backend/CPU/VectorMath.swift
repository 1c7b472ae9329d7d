/// Internal to the backend (ops call `Backend`; nothing outside Graft uses it).
///
/// Graft's vectorized elementwise functions on raw buffers, for fused kernels (e.g. the frozen
/// discriminator scorer's `HighwayHeadKernel`). They are the same polynomial
/// approximations `Tensor.exp()` and `Tensor.sigmoid()` run (`FastMath`), on one thread.
enum VectorMath {
    /// y[i] = e^x[i] for i in 0..<count. `x` and `y` may be the same buffer (in place) but must
    /// not otherwise overlap.
    static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        expArray(x, y, count)
    }

    /// y[i] = 1 / (1 + e^-x[i]) for i in 0..<count. In place allowed.
    static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        sigmoidArray(x, y, count)
    }
}
