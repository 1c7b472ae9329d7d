/// The scoring end of a CNN sequence discriminator (Zhang et al.'s and SeqGAN's), fused for
/// inference: highway layer then a logistic head, with no gradient.
extension Tensor {
    /// σ(head · f̃ + headBias) [rows] of pooled features f [rows, F] through a highway layer
    /// f̃ = τ ⊙ relu(c) + (1 - τ) ⊙ f. `highwayWeight` is [F, 2F] (gated: h = f·W + b, τ = σ(h[..<F]),
    /// c = h[F...]) or [F, F] (shared: τ = σ(h), c = h); `highwayBias` has as many values as columns.
    public func highwayLogisticHead(highwayWeight w: Tensor, highwayBias b: Tensor, headWeight: Tensor, headBias: Float) -> Tensor {
        guard rank == 2 else { graftFatal(ShapeError(op: "highwayLogisticHead", "needs pooled features [rows, F], got \(shapeString(shape))")) }
        let f = shape[1]
        guard w.rank == 2, w.shape[0] == f, w.shape[1] == f || w.shape[1] == 2 * f, b.count == w.shape[1], headWeight.count == f else {
            graftFatal(ShapeError(op: "highwayLogisticHead",
                                  "features \(f): weight \(shapeString(w.shape)) must be [\(f), \(f)] or [\(f), \(2 * f)], "
                                  + "bias \(shapeString(b.shape)) one per column, head \(shapeString(headWeight.shape)) [\(f)]"))
        }
        return backend.highwayLogisticHead(self, weight: w, bias: b, head: headWeight, headBias: headBias)
    }
}
