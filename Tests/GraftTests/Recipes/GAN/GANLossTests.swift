import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct GANLossTests {
    @Test func lossesMatchTheirFormulas() {
        let zero = Tensor([0, 0])
        let log2 = Float(Foundation.log(2.0))
        #expect(abs(GANLoss.minimax.discriminatorLoss(real: zero, fake: zero).item - 2 * log2) < 1e-6)
        #expect(abs(GANLoss.minimax.generatorLoss(fake: zero).item + log2) < 1e-6)
        #expect(abs(GANLoss.nonSaturating.generatorLoss(fake: zero).item - log2) < 1e-6)
        let real = Tensor([2, 0.5]), fake = Tensor([-2, 0.5])
        #expect(abs(GANLoss.wasserstein.discriminatorLoss(real: real, fake: fake).item - (-0.75 - 1.25)) < 1e-6)
        #expect(abs(GANLoss.wasserstein.generatorLoss(fake: fake).item - 0.75) < 1e-6)
        // Hinge: mean(relu(1 - r)) = 0.25, mean(relu(1 + f)) = 0.75.
        #expect(abs(GANLoss.hinge.discriminatorLoss(real: real, fake: fake).item - 1.0) < 1e-6)
        // The minimax generator saturates when D rejects: its gradient vanishes, the non-saturating one's does not.
        let rejected = Tensor([-8]).requiringGrad()
        let gMinimax = grad(of: [GANLoss.minimax.generatorLoss(fake: rejected)], wrt: [rejected])[0].item
        let gNonSat = grad(of: [GANLoss.nonSaturating.generatorLoss(fake: rejected)], wrt: [rejected])[0].item
        #expect(abs(gMinimax) < 1e-3 && abs(gNonSat) > 0.99)
    }

    @Test func gradientPenaltyOfALinearCriticIsKnown() {
        // D(x) = w.x has input gradient w everywhere: penalty = lambda (|w| - 1)^2, and its
        // gradient with respect to w is 2 lambda (|w| - 1) w / |w|.
        let w = Tensor([3, 4], shape: [2, 1]).requiringGrad()
        let real = sample([6, 2], seed: 3), fake = sample([6, 2], seed: 4)
        let penalty = GradientPenalty.penalty(critic: { $0.matmul(w) }, real: real, fake: fake, lambda: 10,
                                              generator: RandomGenerator(seed: 1))
        #expect(abs(penalty.item - 160) < 1e-3)
        let g = grad(of: [penalty], wrt: [w])[0].scalars
        expectClose(g, [2 * 10 * 4 * 3 / 5, 2 * 10 * 4 * 4 / 5], tol: 1e-4)
    }

    @Test func gradientPenaltyGradientMatchesFiniteDifferences() {
        let critic = Sequential(Linear(2, 5, generator: RandomGenerator(seed: 2)), Tanh(), Linear(5, 1, generator: RandomGenerator(seed: 3)))
        let real = sample([4, 2], seed: 5), fake = sample([4, 2], seed: 6)
        checkGradients(critic.parameters(), eps: 1e-2, atol: 5e-3, rtol: 3e-2) { _ in
            GradientPenalty.penalty(critic: { critic($0) }, real: real, fake: fake, lambda: 1, generator: RandomGenerator(seed: 7))
        }
    }

    @Test func weightClippingClampsEveryParameter() {
        let net = Linear(4, 3, generator: RandomGenerator(seed: 1))
        net.weight.assign(net.weight * 100)
        WeightClipping.clip(net, limit: 0.01)
        #expect(net.parameters().allSatisfy { $0.scalars.allSatisfy { abs($0) <= 0.01 } })
        #expect(net.weight.scalars.contains { abs($0) == 0.01 })
    }
}
