import Testing
@testable import Graft
@testable import GraftBench
import GraftNN

@Suite struct BenchSuiteTests {
    @Test func everyRowRuns() {
        let steps = BenchSuite.make(rollouts: 1)
        #expect(steps.map(\.name) == BenchSuite.names)
        for step in steps { step.run() }
    }

    @Test func trainingStepsLowerTheirLoss() {
        // The MLE step is a real training step: repeating it on one batch fits that batch.
        let g = RandomGenerator(seed: 3)
        let gen = BenchGenerator(vocabulary: 50, embedding: 8, hidden: 16, generator: g)
        let data = Tensor(indices: (0..<40).map { ($0 * 7) % 49 + 1 }, shape: [4, 10])
        let opt = GraftNN.Adam(gen.namedParameters(), learningRate: 0.05)
        func loss() -> Float { GraftNN.Loss.crossEntropy(gen(data).logits, data.reshape([-1])).item }
        let before = loss()
        for _ in 0..<30 { opt.zeroGrad(); GraftNN.Loss.crossEntropy(gen(data).logits, data.reshape([-1])).backward(); opt.step() }
        #expect(loss() < 0.5 * before)
    }

    @Test func rolloutRewardIsAProbabilityPerToken() {
        let g = RandomGenerator(seed: 4)
        let gen = BenchGenerator(vocabulary: 30, embedding: 8, hidden: 8, generator: g)
        let dis = BenchDiscriminator(vocabulary: 30, embedding: 8, generator: g)
        let sentences = gen.sample(from: Tensor.ones([3, 1]), state: nil, steps: 20, generator: g)
        #expect(sentences.shape == [3, 20] && sentences.scalars.allSatisfy { $0 >= 0 && $0 < 30 })
        let r = BenchSuite.rolloutReward(gen, dis, sentences, rollouts: 2, generator: g)
        #expect(r.shape == [3, 20] && r.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        // The last column scores the complete sentence: the same for every rollout.
        let full = dis.eval()(sentences).softmax(axis: -1).select(axis: 1, index: 1)
        for i in 0..<3 { #expect(abs(r[i, 19] - full[i]) < 1e-5) }
    }
}
