import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct RolloutAndPolicyGradientTests {
    /// A policy that emits token `forced` whatever its input (zero output weights, one huge bias).
    func forcedPolicy(vocabulary: Int, forced: Int) -> TokenGenerator {
        let g = TokenGenerator(vocabulary: vocabulary, embedding: 3, hidden: 4, generator: RandomGenerator(seed: 1))
        noGrad {
            g.output.weight.assign(Tensor.zeros(g.output.weight.shape))
            g.output.bias!.assign(Tensor((0..<vocabulary).map { $0 == forced ? 60 : -60 }))
        }
        return g
    }

    @Test func rolloutRewardsContinueEachPrefixAndTheLastColumnIsTheDiscriminatorScore() {
        // The score of a sequence is its share of token 1; completions are all 1s, so the reward
        // of a prefix of length t with k ones is (k + T - t) / T exactly.
        let policy = forcedPolicy(vocabulary: 4, forced: 1)
        let sentences = Tensor([2, 1, 3, 3, 0,
                                1, 1, 2, 0, 2], shape: [2, 5])
        let score = { (s: Tensor) -> Tensor in s.eq(1).mean(axis: 1) }
        let rewards = MonteCarloRollout(rollouts: 3).rewards(for: sentences, policy: policy, score: score, generator: RandomGenerator(seed: 2))
        #expect(rewards.shape == [2, 5])
        let rows = [[2, 1, 3, 3, 0], [1, 1, 2, 0, 2]]
        for (b, row) in rows.enumerated() {
            for t in 1...5 {
                let k = row.prefix(t).filter { $0 == 1 }.count
                #expect(abs(rewards.scalars[b * 5 + t - 1] - Float(k + 5 - t) / 5) < 1e-6, "row \(b), prefix \(t)")
            }
        }
        // The complete sentence's reward is the discriminator's own score of it.
        expectClose(rewards.select(axis: 1, index: 4).scalars, score(sentences).scalars, tol: 0)
    }

    @Test func rolloutCompletionsFollowThePolicyDistribution() {
        // A uniform policy over 2 tokens and a score equal to the last token: the mean reward of
        // a prefix shorter than T is near 1/2, with N * B completions per column.
        let g = TokenGenerator(vocabulary: 2, embedding: 2, hidden: 2, generator: RandomGenerator(seed: 1))
        noGrad { g.output.weight.assign(Tensor.zeros(g.output.weight.shape)); g.output.bias!.assign(Tensor.zeros([2])) }
        let sentences = Tensor.zeros([50, 4])
        let rewards = MonteCarloRollout(rollouts: 40).rewards(for: sentences, policy: g, score: { $0.select(axis: 1, index: 3) },
                                                               generator: RandomGenerator(seed: 3))
        for t in 0..<3 { #expect(abs(rewards.select(axis: 1, index: t).mean().item - 0.5) < 0.03) }
        #expect(rewards.select(axis: 1, index: 3).scalars.allSatisfy { $0 == 0 })
    }

    @Test func reinforceIsUnbiasedOnABandit() {
        // Softmax policy over 4 arms with fixed rewards: E_a[(r_a - b) ∇ log p(a)] = ∇ E[r], any b.
        let rewards: [Float] = [1, 0.2, -0.5, 2]
        let theta = Tensor([0.3, -0.2, 0.5, 0.1])
        theta.requiresGrad = true
        let exact = grad(of: [-(theta.softmax() * Tensor(rewards)).sum()], wrt: [theta])[0].scalars
        let p = noGrad { theta.softmax() }.scalars
        for baseline: Float in [0, 0.7] {
            var expected = [Float](repeating: 0, count: 4)
            for a in 0..<4 {
                let logp = theta.logSoftmax().slice(axis: 0, start: a, end: a + 1).reshape([1, 1])
                let loss = PolicyGradient.loss(logProbabilities: logp, advantages: Tensor([rewards[a] - baseline], shape: [1]))
                let g = grad(of: [loss], wrt: [theta])[0].scalars
                for i in 0..<4 { expected[i] += p[a] * g[i] }
            }
            expectClose(expected, exact, tol: 1e-5)
        }
        // Sampled arms approach the same gradient.
        let draws = 20000
        let arms = Tensor.categorical(logits: theta.detach().unsqueeze(axis: 0).expand([draws, 4]), generator: RandomGenerator(seed: 9))
        let logp = theta.logSoftmax().unsqueeze(axis: 0).expand([draws, 4]).gather(axis: 1, index: arms.reshape([draws, 1]))
        let adv = Tensor(arms.scalars.map { rewards[Int($0)] }, shape: [draws])
        let sampled = grad(of: [PolicyGradient.loss(logProbabilities: logp, advantages: adv)], wrt: [theta])[0].scalars
        for i in 0..<4 { #expect(abs(sampled[i] - exact[i]) < 0.03, "arm \(i): \(sampled[i]) vs \(exact[i])") }
    }

    @Test func movingAverageBaselineUsesThePreviousValue() {
        var b = MovingAverageBaseline(momentum: 0.5)
        #expect(b.advantages(Tensor([1, 3])).scalars == [-1, 1])          // first batch: its own mean, 2
        #expect(b.value == 2)
        #expect(b.advantages(Tensor([6, 6])).scalars == [4, 4])           // against 2; then b = 4
        #expect(b.value == 4)
    }

    @Test func gumbelSoftmaxSamplesHaveTheSoftmaxMarginals() {
        let logits = Tensor([1.0, 0.0, -1.0, 2.0])
        let n = 20000
        let g = RandomGenerator(seed: 4)
        let hard = GumbelSoftmax.sample(logits: logits.unsqueeze(axis: 0).expand([n, 4]), temperature: 0.5, hard: true, generator: g)
        let freq = hard.mean(axis: 0).scalars
        let p = logits.softmax().scalars
        for i in 0..<4 { #expect(abs(freq[i] - p[i]) < 0.012, "class \(i): \(freq[i]) vs \(p[i])") }
        // Hard samples are one-hot; soft ones are distributions that sharpen as the temperature falls.
        #expect(hard.sum(axis: 1).scalars.allSatisfy { $0 == 1 } && hard.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let warm = GumbelSoftmax.sample(logits: logits.unsqueeze(axis: 0).expand([500, 4]), temperature: 5, generator: RandomGenerator(seed: 5))
        let cold = GumbelSoftmax.sample(logits: logits.unsqueeze(axis: 0).expand([500, 4]), temperature: 0.1, generator: RandomGenerator(seed: 5))
        expectClose(warm.sum(axis: 1).scalars, [Float](repeating: 1, count: 500), tol: 1e-5)
        #expect(cold.max(axis: 1).mean().item > warm.max(axis: 1).mean().item + 0.3)
    }

    @Test func straightThroughPassesTheSoftGradient() {
        let logits = Tensor([0.2, -0.4, 0.9]).unsqueeze(axis: 0)
        logits.requiresGrad = true
        let weights = Tensor([1.0, -2.0, 0.5]).unsqueeze(axis: 0)
        let hard = GumbelSoftmax.sample(logits: logits, temperature: 0.7, hard: true, generator: RandomGenerator(seed: 6))
        let soft = GumbelSoftmax.sample(logits: logits, temperature: 0.7, hard: false, generator: RandomGenerator(seed: 6))
        let gHard = grad(of: [(hard * weights).sum()], wrt: [logits])[0].scalars
        let gSoft = grad(of: [(soft * weights).sum()], wrt: [logits])[0].scalars
        expectClose(gHard, gSoft, tol: 1e-6)
        #expect(hard.scalars.filter { $0 == 1 }.count == 1)
        #expect(hard.argmax(axis: 1).scalars == soft.argmax(axis: 1).scalars)
    }
}
