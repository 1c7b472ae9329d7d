/// Reductions in Float64 for quantities that must not lose small terms (a global gradient norm).
extension Tensor {
    /// Σ x² over all elements, accumulated in Float64 in row-major order (unrecorded).
    public func sumOfSquares() -> Double { backend.sumOfSquares(self) }
}
