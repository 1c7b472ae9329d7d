import Foundation
import Graft

/// Runs a fused elementwise update over a parameter, its gradient and up to two state slots.
@inline(__always)
func fusedUpdate(_ p: Tensor, _ g: Tensor, _ a: Tensor?, _ b: Tensor?,
                 _ body: (Int, UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void) {
    p.withUnsafeMutableBufferPointer { pp in
        g.withUnsafeBufferPointer { gp in
            a.withOptionalPointer { ap in
                b.withOptionalPointer { bp in
                    body(pp.count, pp.baseAddress!, gp.baseAddress!, ap, bp)
                }
            }
        }
    }
}

extension Optional where Wrapped == Tensor {
    @inline(__always)
    func withOptionalPointer<R>(_ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
        guard let t = self else { return body(nil) }
        return t.withUnsafeMutableBufferPointer { body($0.baseAddress) }
    }
}

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
        fusedUpdate(p, grad, v, nil) { n, pp, gp, vp, _ in
            for i in 0..<n {
                var d = gp[i] + wd * pp[i]
                if let vp {
                    vp[i] = first ? d : mu * vp[i] + d
                    d = nest ? d + mu * vp[i] : vp[i]
                }
                pp[i] -= lr * d
            }
        }
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
        let (b1, b2, eps, lr, wd, dec) = (beta1, beta2, self.eps, group.learningRate, group.weightDecay, decoupled)
        let c1 = 1 - Float(pow(Double(b1), Double(t))), c2 = 1 - Float(pow(Double(b2), Double(t)))
        let stepSize = lr / c1, c2Root = c2.squareRoot()
        // Decoupled decay scales p first; L2 decay adds wd·p to the gradient.
        let shrink = dec ? 1 - lr * wd : 1, l2 = dec ? 0 : wd
        fusedUpdate(p, grad, m, v) { n, pp, gp, mp, vp in
            let mp = mp!, vp = vp!
            // Eight lanes at a time, split across threads for large parameters: each element
            // is independent, so the result does not depend on the split.
            ThreadPool.shared.parallelChunks(total: n, minChunk: 1 << 15) { r in
                var i = r.lowerBound
                let vb1 = SIMD8<Float>(repeating: b1), vb2 = SIMD8<Float>(repeating: b2)
                let vs = SIMD8<Float>(repeating: stepSize), vc = SIMD8<Float>(repeating: 1 / c2Root)
                let veps = SIMD8<Float>(repeating: eps), vshrink = SIMD8<Float>(repeating: shrink), vl2 = SIMD8<Float>(repeating: l2)
                while i + 8 <= r.upperBound {
                    var w = UnsafeRawPointer(pp + i).loadUnaligned(as: SIMD8<Float>.self)
                    let g = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self) + vl2 * w
                    w *= vshrink
                    let m = vb1 * UnsafeRawPointer(mp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - vb1) * g
                    let v = vb2 * UnsafeRawPointer(vp + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - vb2) * g * g
                    w -= vs * m / (v.squareRoot() * vc + veps)
                    UnsafeMutableRawPointer(mp + i).storeBytes(of: m, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(vp + i).storeBytes(of: v, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(pp + i).storeBytes(of: w, as: SIMD8<Float>.self)
                    i += 8
                }
                while i < r.upperBound {
                    let g = gp[i] + l2 * pp[i]
                    pp[i] *= shrink
                    mp[i] = b1 * mp[i] + (1 - b1) * g
                    vp[i] = b2 * vp[i] + (1 - b2) * g * g
                    pp[i] -= stepSize * mp[i] / (vp[i].squareRoot() / c2Root + eps)
                    i += 1
                }
            }
        }
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
        self.init(groups: [ParameterGroup(parameters, learningRate: learningRate, weightDecay: weightDecay)], alpha: alpha, eps: eps, momentum: momentum)
    }

    public override var slotNames: [String] { ["square_avg", "momentum_buffer"] }

    public override func update(_ p: Tensor, grad: Tensor, slots: inout [String: Tensor], group: ParameterGroup) {
        let s = slot(&slots, "square_avg", like: p)
        let b: Tensor? = momentum != 0 ? slot(&slots, "momentum_buffer", like: p) : nil
        let (a, mu, eps, lr, wd) = (alpha, momentum, self.eps, group.learningRate, group.weightDecay)
        fusedUpdate(p, grad, s, b) { n, pp, gp, sp, bp in
            let sp = sp!
            for i in 0..<n {
                let g = gp[i] + wd * pp[i]
                sp[i] = a * sp[i] + (1 - a) * g * g
                let d = g / (sp[i].squareRoot() + eps)
                if let bp { bp[i] = mu * bp[i] + d; pp[i] -= lr * bp[i] } else { pp[i] -= lr * d }
            }
        }
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
        fusedUpdate(p, grad, slots["sum"]!, nil) { n, pp, gp, sp, _ in
            let sp = sp!
            for i in 0..<n {
                let g = gp[i] + wd * pp[i]
                sp[i] += g * g
                pp[i] -= lr * g / (sp[i].squareRoot() + eps)
            }
        }
    }
}

