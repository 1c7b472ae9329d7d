import Graft
import GraftNN

/// The gradient penalty of WGAN-GP (Gulrajani et al. 2017, Eq. 3):
/// lambda * E[(||grad_x D(x_hat)||_2 - 1)^2] at x_hat = eps x + (1 - eps) x_tilde, eps ~ U[0, 1]
/// per sample, on lines between real and generated samples. The result is differentiable with
/// respect to the critic's parameters (the input gradient is recorded with `createGraph`).
public enum GradientPenalty {
    /// The penalty for `critic` between `real` and `fake` (same shape [N, ...]), with weight `lambda`.
    public static func penalty(critic: (Tensor) -> Tensor, real: Tensor, fake: Tensor, lambda: Float = 10,
                               generator: RandomGenerator = .global) -> Tensor {
        precondition(real.shape == fake.shape, "GradientPenalty: real \(real.shape) and fake \(fake.shape) must have the same shape")
        let n = real.shape[0]
        var epsShape = [n]
        epsShape.append(contentsOf: Array(repeating: 1, count: real.rank - 1))
        let eps = Tensor.uniform(epsShape, low: 0, high: 1, generator: generator)
        let between = (eps * real.detach() + (1 - eps) * fake.detach()).requiringGrad()
        let scores = critic(between)
        let inputGrad = grad(of: [scores.sum()], wrt: [between], createGraph: true)[0]
        let norms = ((inputGrad * inputGrad).reshape([n, -1]).sum(axis: 1) + 1e-12).sqrt()
        return ((norms - 1) * (norms - 1)).mean() * lambda
    }
}

/// Weight clipping of the original WGAN (Arjovsky et al. 2017, Algorithm 1): after each critic
/// step every parameter is clamped to [-c, c] to keep the critic roughly Lipschitz.
public enum WeightClipping {
    /// Clamps each trainable parameter of `module` into [-limit, limit] in place.
    public static func clip(_ module: Module, limit: Float = 0.01) {
        noGrad {
            for p in module.trainableParameters() { p.assign(p.clamp(min: -limit, max: limit)) }
        }
    }
}
