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

    @Test func rolloutScorerMatchesTheTwoClassDiscriminator() {
        let g = RandomGenerator(seed: 5)
        let dis = BenchDiscriminator(vocabulary: 40, embedding: 8, generator: g)
        let x = Tensor(indices: (0..<(5 * 20)).map { ($0 * 13 + 7) % 40 }, shape: [5, 20])
        let expected = noGrad { dis.eval()(x).softmax(axis: -1).select(axis: 1, index: 1) }.scalars
        dis.train()
        let got = dis.rolloutScorer().probabilityReal(x).scalars
        for i in 0..<5 { #expect(abs(got[i] - expected[i]) <= 1e-5 * expected[i], "row \(i): \(got[i]) vs \(expected[i])") }
    }

    @Test func rolloutContinuesEachPrefixFromItsState() {
        // A generator that always emits token 3 (zero output weights, one large bias): every
        // completion is 3s, so each reward is D's score of the prefix followed by 3s.
        let g = RandomGenerator(seed: 6)
        let gen = BenchGenerator(vocabulary: 12, embedding: 4, hidden: 4, generator: g)
        noGrad {
            gen.output.weight.assign(Tensor.zeros(gen.output.weight.shape))
            gen.output.bias!.assign(Tensor((0..<12).map { $0 == 3 ? 60 : -60 }))
        }
        let dis = BenchDiscriminator(vocabulary: 12, embedding: 4, generator: g)
        let sentences = Tensor(indices: (0..<(2 * 20)).map { ($0 * 5 + 1) % 12 }, shape: [2, 20])
        let r = BenchSuite.rolloutReward(gen, dis, sentences, rollouts: 2, generator: g)
        let score = { (x: Tensor) in noGrad { dis.eval()(x).softmax(axis: -1).select(axis: 1, index: 1) } }
        for given in [1, 7, 19, 20] {
            let completed = given == 20 ? sentences
                : Tensor.concat([sentences.slice(axis: 1, start: 0, end: given), Tensor.full([2, 20 - given], 3)], axis: 1)
            let expected = score(completed)
            for i in 0..<2 { #expect(abs(r[i, given - 1] - expected[i]) <= 1e-5 * expected[i], "sentence \(i), prefix \(given)") }
        }
    }
}
