import Testing
@testable import Graft

/// WGAN-GP (Gulrajani et al. 2017): λ E[(||∇_x̂ D(x̂)||₂ - 1)²] on interpolates x̂ = εx + (1-ε)x̃.
/// Its parameter gradient needs gradients of gradients.
@Suite struct GradientPenaltyTests {
    let real = sample([6, 2], low: -1, high: 1, seed: 11)
    let fake = sample([6, 2], low: -1, high: 1, seed: 12)
    let mix = sample([6, 1], low: 0, high: 1, seed: 13)

    /// A two-layer critic: tanh or leaky ReLU hidden layer.
    func critic(_ x: Tensor, _ p: [Tensor], leaky: Bool) -> Tensor {
        let h = x.matmul(p[0]) + p[1]
        return (leaky ? h.leakyRelu(0.2) : h.tanh()).matmul(p[2]) + p[3]
    }

    func penalty(_ p: [Tensor], leaky: Bool = false) -> Tensor {
        let xhat = (mix * real + (1 - mix) * fake).requiringGrad()
        let d = critic(xhat, p, leaky: leaky)
        let g = grad(of: d.sum(), wrt: xhat, createGraph: true)
        return (g.norm(axes: [1]) - 1).square().mean() * 10
    }

    /// The critic's parameters; the output bias does not affect the penalty, so it is left out.
    func parameters(seed: UInt64) -> [Tensor] {
        [sample([2, 8], seed: seed), sample([8], seed: seed + 1), sample([8, 1], seed: seed + 2), Tensor([0.1])]
    }

    @Test func parameterGradientMatchesFiniteDifferences() {
        checkGradients(parameters(seed: 20), eps: 1e-2, atol: 3e-3, rtol: 3e-2) { penalty($0) }
        // Piecewise linear critic: a small step so that no pre-activation crosses its kink.
        checkGradients(parameters(seed: 30), eps: 1e-3, atol: 1e-2, rtol: 3e-2) { penalty($0, leaky: true) }
    }

    @Test func trainingDrivesThePenaltyDown() {
        let p = parameters(seed: 40).map { $0.requiringGrad() }
        let start = penalty(p).item
        for _ in 0..<200 {
            let gp = penalty(p)
            gp.backward()
            noGrad {
                for w in p.prefix(3) {
                    w.assign(w - w.grad! * 0.05)
                    w.zeroGrad()
                }
            }
        }
        let end = penalty(p).item
        #expect(start > 1 && end < 0.05 * start, "penalty \(start) -> \(end)")
    }
}
