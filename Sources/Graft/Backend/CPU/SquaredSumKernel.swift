/// Σ x² over a buffer, accumulated in Float64 in index order (gradient-norm clipping).
enum SquaredSumKernel {
    /// The sum of the squares of `n` values from `x`, in Float64.
    static func run(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var total = 0.0
        for i in 0..<n { total += Double(x[i]) * Double(x[i]) }
        return total
    }
}
