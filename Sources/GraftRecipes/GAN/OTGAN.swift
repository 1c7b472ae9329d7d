import Graft

/// OT-GAN (Salimans, Zhang, Radford, Metaxas 2018): the generator and a critic v play on the
/// mini-batch energy distance (their Eq. 5)
/// D^2 = W(X, Y) + W(X, Y') + W(X', Y) + W(X', Y') - 2 W(X, X') - 2 W(Y, Y'),
/// where X, X' are independent real batches, Y, Y' independent generated batches, and W is the
/// entropy-regularised transport cost between batches under the cosine distance of the critic's
/// features, c(x, y) = 1 - v(x).v(y) / (|v(x)| |v(y)|). The generator minimises D^2 and the
/// critic maximises it. As in the paper, the transport plan is found by Sinkhorn iterations with
/// no gradient and W = sum_ij P_ij C_ij is differentiated through the costs only (by the envelope
/// theorem this is the gradient of the regularised optimum).
public enum OTGAN {
    /// The cosine cost matrix [n, m] between feature rows of `a` [n, d] and `b` [m, d].
    public static func cosineCost(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
                     "OTGAN.cosineCost needs [n, d] and [m, d], got \(a.shape) and \(b.shape)")
        let an = a / ((a * a).sum(axis: 1, keepDims: true) + 1e-12).sqrt()
        let bn = b / ((b * b).sum(axis: 1, keepDims: true) + 1e-12).sqrt()
        return 1 - an.matmul(bn.transpose(0, 1))
    }

    /// W(a, b): the Sinkhorn transport cost between feature batches, differentiable through the costs
    /// (the plan is solved to `tolerance` on its marginals, enough for a training signal).
    public static func sinkhornCost(_ a: Tensor, _ b: Tensor, epsilon: Double = 0.01, maxIterations: Int = 100, tolerance: Double = 1e-4) -> Tensor {
        let cost = cosineCost(a, b)
        let n = cost.shape[0], m = cost.shape[1]
        let solution = Sinkhorn.solve(cost: cost.scalars.map(Double.init), rows: n, columns: m, epsilon: epsilon,
                                      maxIterations: maxIterations, tolerance: tolerance)
        let plan = Tensor(solution.plan.map(Float.init), shape: [n, m])
        return (plan * cost).sum()
    }

    /// The mini-batch energy distance D^2 between two real and two generated feature batches.
    public static func energyDistance(real: Tensor, real2: Tensor, fake: Tensor, fake2: Tensor, epsilon: Double = 0.01) -> Tensor {
        let w = { (a: Tensor, b: Tensor) in sinkhornCost(a, b, epsilon: epsilon) }
        return w(real, fake) + w(real, fake2) + w(real2, fake) + w(real2, fake2) - 2 * w(real, real2) - 2 * w(fake, fake2)
    }
}
