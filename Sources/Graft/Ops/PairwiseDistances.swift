/// Squared Euclidean distances between all rows of two matrices.
extension Tensor {
    /// ‖aᵢ - bⱼ‖² [n, m] between the rows of this matrix [n, d] and of `other` [m, d], computed
    /// stably: one SGEMM per block on copies centred on the mean of `other`, norms summed in
    /// Float64, and every entry below 1/16 of its centred norms (where cancellation lost bits)
    /// recomputed exactly in Float64, so that one value of 1e6 among small ones keeps the small
    /// distances. Differentiable in both inputs (∂/∂aᵢ = 2 Σⱼ gᵢⱼ (aᵢ - bⱼ)).
    public func pairwiseSquaredDistances(_ other: Tensor) -> Tensor {
        guard rank == 2, other.rank == 2, shape[1] == other.shape[1] else {
            graftFatal(ShapeError(op: "pairwiseSquaredDistances",
                                  "needs matrices [n, d] and [m, d], got \(shapeString(shape)) and \(shapeString(other.shape))"))
        }
        let out = backend.pairwiseSquaredDistances(self, other)
        return Tensor.record(out, op: "pairwiseSquaredDistances", inputs: [self, other]) { ctx in
            let (a, b, g) = (ctx.inputs[0], ctx.inputs[1], ctx.grad)
            let ga = 2 * (a * g.sum(axis: 1, keepDims: true) - g.matmul(b))
            let gb = 2 * (b * g.sum(axis: 0).reshape([b.shape[0], 1]) - Tensor.matmul(g, a, transposeA: true))
            return [ga, gb]
        }
    }
}
