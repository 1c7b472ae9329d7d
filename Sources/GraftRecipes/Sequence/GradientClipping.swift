import Graft

/// Gradient-norm clipping (Pascanu et al. 2013, "On the difficulty of training recurrent neural
/// networks", algorithm 1): when the global norm ‖g‖ of all gradients exceeds `maxNorm`, every
/// gradient is scaled by maxNorm / ‖g‖.
public enum GradientClipping {
    /// Clips the gradients of `parameters` in place (parameters without a gradient are skipped) and
    /// returns the norm before clipping.
    @discardableResult
    public static func clipNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "clipNorm needs a positive maxNorm, got \(maxNorm)")
        var total: Double = 0
        for p in parameters {
            guard let g = p.grad else { continue }
            total += g.sumOfSquares()
        }
        let norm = Float(total.squareRoot())
        guard norm > maxNorm, norm.isFinite else { return norm }
        let scale = maxNorm / norm
        noGrad {
            for p in parameters { if let g = p.grad { p.grad = g * scale } }
        }
        return norm
    }
}
