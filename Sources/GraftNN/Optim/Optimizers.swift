import Foundation
import Graft

/// Stochastic gradient descent with momentum μ, Nesterov momentum and L2 weight decay
/// (PyTorch's form): g += wd·p; v = μ v + g (v = g on the first step); p -= lr·(g + μ v) with
/// Nesterov, else p -= lr·v.
public final class SGD: Optimizer {
    /// Momentum coefficient.
    public let momentum: Float
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool

    /// SGD over parameter groups.
    public init(groups: [ParameterGroup], momentum: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
        self.momentum = momentum; self.nesterov = nesterov
        super.init(groups: groups)
    }

    /// SGD over named parameters with one learning rate.
    public convenience init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float, momentum: Float = 0,
                            nesterov: Bool = false, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)], momentum: momentum, nesterov: nesterov)
    }

    public override var slotNames: [String] { ["momentum"] }

    public override func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        let lr = group.learningRate, wd = group.weightDecay, mu = momentum, nest = nesterov
        let first = slots["momentum"] == nil
        let v: Tensor? = mu != 0 ? slot(&slots, "momentum", like: p) : nil
        p.sgdUpdate(gradient: grad, momentumBuffer: v, learningRate: lr, momentum: mu, nesterov: nest, weightDecay: wd, firstStep: first)
    }
}

/// Adam (Kingma and Ba 2015, algorithm 1) with L2 weight decay added to the gradient;
/// `decoupled` gives AdamW (Loshchilov and Hutter 2019): p -= lr·wd·p before the Adam step.
public class Adam: Optimizer {
    /// Exponential decay rates of the first and second moments.
    public let beta1: Float, beta2: Float
    /// Added to the denominator.
    public let eps: Float
    let decoupled: Bool

    /// Adam over parameter groups.
    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.decoupled = decoupledWeightDecay
        super.init(groups: groups)
    }

    /// Adam over named parameters with one learning rate.
    public convenience init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float = 1e-3, beta1: Float = 0.9,
                            beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)], beta1: beta1, beta2: beta2, eps: eps)
    }

    public override var slotNames: [String] { ["exp_avg", "exp_avg_sq", "step"] }

    public override func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        let m = slot(&slots, "exp_avg", like: p), v = slot(&slots, "exp_avg_sq", like: p)
        // Each parameter counts its own steps (a parameter may skip steps without a gradient).
        let t = (slots["step"]?.item ?? 0) + 1
        slots["step"] = Tensor(t)
        p.adamUpdate(gradient: grad, firstMoment: m, secondMoment: v, learningRate: group.learningRate, beta1: beta1, beta2: beta2,
                     eps: eps, step: Int(t), weightDecay: group.weightDecay, decoupledWeightDecay: decoupled)
    }
}

/// AdamW: Adam with decoupled weight decay (default 0.01, PyTorch's).
public final class AdamW: Adam {
    /// AdamW over parameter groups.
    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
        super.init(groups: groups, beta1: beta1, beta2: beta2, eps: eps, decoupledWeightDecay: true)
    }

    /// AdamW over named parameters.
    public convenience init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float = 1e-3, weightDecay: Float = 0.01) {
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)])
    }
}

/// RMSprop (Tieleman and Hinton 2012): s = α s + (1-α) g²; with momentum μ, b = μ b + g/(sqrt(s)+eps)
/// and p -= lr·b, else p -= lr·g/(sqrt(s)+eps).
public final class RMSprop: Optimizer {
    /// Smoothing constant α, momentum μ and eps.
    public let alpha: Float, momentum: Float, eps: Float

    /// RMSprop over parameter groups.
    public init(groups: [ParameterGroup], alpha: Float = 0.99, eps: Float = 1e-8, momentum: Float = 0) {
        self.alpha = alpha; self.eps = eps; self.momentum = momentum
        super.init(groups: groups)
    }

    /// RMSprop over named parameters.
    public convenience init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float = 1e-2, alpha: Float = 0.99,
                            eps: Float = 1e-8, momentum: Float = 0, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)],
                  alpha: alpha, eps: eps, momentum: momentum)
    }

    public override var slotNames: [String] { ["square_avg", "momentum_buffer"] }

    public override func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        let s = slot(&slots, "square_avg", like: p)
        let b: Tensor? = momentum != 0 ? slot(&slots, "momentum_buffer", like: p) : nil
        let (a, mu, eps, lr, wd) = (alpha, momentum, self.eps, group.learningRate, group.weightDecay)
        p.rmspropUpdate(gradient: grad, squareAverage: s, momentumBuffer: b, learningRate: lr, alpha: a, eps: eps, momentum: mu, weightDecay: wd)
    }
}

/// Adagrad (Duchi, Hazan and Singer 2011): s += g²; p -= lr·g/(sqrt(s) + eps).
public final class Adagrad: Optimizer {
    /// Added to the denominator, and the starting value of the sum.
    public let eps: Float, initialAccumulator: Float

    /// Adagrad over parameter groups.
    public init(groups: [ParameterGroup], eps: Float = 1e-10, initialAccumulator: Float = 0) {
        self.eps = eps; self.initialAccumulator = initialAccumulator
        super.init(groups: groups)
    }

    /// Adagrad over named parameters.
    public convenience init(_ parameters: [(name: String, tensor: Tensor)], learningRate: Float = 1e-2, eps: Float = 1e-10, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)], eps: eps)
    }

    public override var slotNames: [String] { ["sum"] }

    public override func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        if slots["sum"] == nil { slots["sum"] = Tensor.full(p.shape, initialAccumulator) }
        let (eps, lr, wd) = (self.eps, group.learningRate, group.weightDecay)
        p.adagradUpdate(gradient: grad, sumOfSquares: slots["sum"]!, learningRate: lr, eps: eps, weightDecay: wd)
    }
}

