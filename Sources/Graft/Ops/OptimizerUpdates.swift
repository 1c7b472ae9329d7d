import Foundation

/// Fused optimizer updates: one pass over a parameter, its gradient and its state, in place and
/// unrecorded (MLX's `applySingle`: the optimizer's rule is written once against tensor ops and
/// the backend does the arithmetic). Parameter, gradient and state tensors have the same count.
extension Tensor {
    /// Adam's step in place (Kingma and Ba 2015, algorithm 1): with g = grad + wd·p (L2 decay),
    /// m = β₁m + (1-β₁)g, v = β₂v + (1-β₂)g², p -= lr/(1-β₁ᵗ) · m / (√v/√(1-β₂ᵗ) + eps);
    /// `decoupledWeightDecay` (AdamW) instead scales p by 1 - lr·wd first. `step` t counts from 1.
    public func adamUpdate(gradient: Tensor, firstMoment m: Tensor, secondMoment v: Tensor, learningRate lr: Float,
                           beta1 b1: Float, beta2 b2: Float, eps: Float, step t: Int, weightDecay wd: Float = 0,
                           decoupledWeightDecay: Bool = false) {
        checkUpdateOperands("adamUpdate", [gradient, m, v])
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(t))), c2 = 1 - Float(Foundation.pow(Double(b2), Double(t)))
        let shrink = decoupledWeightDecay ? 1 - lr * wd : 1, l2 = decoupledWeightDecay ? 0 : wd
        backend.adamUpdate(self, gradient: gradient, firstMoment: m, secondMoment: v, beta1: b1, beta2: b2, eps: eps,
                           stepSize: lr / c1, c2Root: c2.squareRoot(), shrink: shrink, l2: l2)
    }

    /// SGD's step in place (PyTorch's form): d = grad + wd·p; with a momentum buffer b,
    /// b = μb + d (b = d when `firstStep`) and d = d + μb (Nesterov) or b; then p -= lr·d.
    public func sgdUpdate(gradient: Tensor, momentumBuffer b: Tensor?, learningRate lr: Float, momentum mu: Float = 0,
                          nesterov: Bool = false, weightDecay wd: Float = 0, firstStep: Bool = false) {
        checkUpdateOperands("sgdUpdate", [gradient] + (b.map { [$0] } ?? []))
        backend.sgdUpdate(self, gradient: gradient, momentumBuffer: b, learningRate: lr, weightDecay: wd, momentum: mu,
                          nesterov: nesterov, firstStep: firstStep)
    }

    /// RMSprop's step in place (Tieleman and Hinton 2012): g = grad + wd·p, s = αs + (1-α)g²,
    /// d = g/(√s + eps); with a momentum buffer b, b = μb + d and p -= lr·b, else p -= lr·d.
    public func rmspropUpdate(gradient: Tensor, squareAverage s: Tensor, momentumBuffer b: Tensor?, learningRate lr: Float,
                              alpha: Float, eps: Float, momentum mu: Float = 0, weightDecay wd: Float = 0) {
        checkUpdateOperands("rmspropUpdate", [gradient, s] + (b.map { [$0] } ?? []))
        backend.rmspropUpdate(self, gradient: gradient, squareAverage: s, momentumBuffer: b, learningRate: lr, alpha: alpha,
                              eps: eps, momentum: mu, weightDecay: wd)
    }

    /// Adagrad's step in place (Duchi, Hazan and Singer 2011): g = grad + wd·p, s += g²,
    /// p -= lr·g/(√s + eps).
    public func adagradUpdate(gradient: Tensor, sumOfSquares s: Tensor, learningRate lr: Float, eps: Float, weightDecay wd: Float = 0) {
        checkUpdateOperands("adagradUpdate", [gradient, s])
        backend.adagradUpdate(self, gradient: gradient, sumOfSquares: s, learningRate: lr, eps: eps, weightDecay: wd)
    }

    /// Stops with a message naming `op` when an operand's count differs from this tensor's.
    func checkUpdateOperands(_ op: String, _ operands: [Tensor]) {
        for t in operands where t.count != count {
            graftFatal(ShapeError(op: op, "operand of shape \(shapeString(t.shape)) does not match parameter \(shapeString(shape))"))
        }
    }
}
