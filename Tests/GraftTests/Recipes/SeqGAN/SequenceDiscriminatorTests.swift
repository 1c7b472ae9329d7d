import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct SequenceDiscriminatorTests {
    @Test func oneHotDistributionsScoreLikeTheirTokens() {
        let d = SequenceDiscriminator(vocabulary: 9, embedding: 5, widths: [1, 2, 4], maps: [3, 4, 2], dropout: 0,
                                      generator: RandomGenerator(seed: 2))
        let tokens = Tensor([1, 8, 3, 3, 0, 2, 7, 7, 6, 5, 4, 1], shape: [2, 6])
        let byTokens = d(tokens)
        #expect(byTokens.shape == [2])
        let byDistributions = d(distributions: Tensor.oneHot(tokens, classes: 9))
        expectClose(byDistributions.scalars, byTokens.scalars, tol: 1e-5)
        // Probabilities are the logits' sigmoid, in (0, 1).
        let p = d.probabilityReal(tokens).scalars
        expectClose(p, byTokens.scalars.map { 1 / (1 + Foundation.exp(-$0)) }, tol: 1e-5)
    }

    @Test func gradientsReachTheSoftInputsAndTheHighwayLayer() {
        let d = SequenceDiscriminator(vocabulary: 4, embedding: 3, widths: [1, 2], maps: [2, 2], dropout: 0,
                                      generator: RandomGenerator(seed: 3))
        let soft = sample([2, 3, 4], low: 0, high: 1, seed: 5).softmax(axis: -1)
        checkGradients([soft, d.gate.weight], eps: 1e-3, atol: 3e-3) { x in d(distributions: x[0]) }
    }

    @Test func learnsToTellAPatternFromNoise() {
        // Real: sequences that alternate 1, 2; fake: uniform tokens. A few Adam steps separate them.
        let g = RandomGenerator(seed: 7)
        let real = Tensor((0..<(32 * 8)).map { Float(1 + ($0 % 2)) }, shape: [32, 8])
        let fake = Tensor((0..<(32 * 8)).map { _ in Float(g.nextInt(below: 6)) }, shape: [32, 8])
        let d = SequenceDiscriminator(vocabulary: 6, embedding: 8, widths: [1, 2, 3], maps: [8, 8, 8], generator: RandomGenerator(seed: 8))
        let opt = Adam(d.namedParameters(), learningRate: 0.01)
        for _ in 0..<40 {
            opt.zeroGrad()
            let loss = Tensor.binaryCrossEntropyWithLogits(logits: Tensor.concat([d(real), d(fake)]),
                                                           targets: Tensor.concat([Tensor.ones([32]), Tensor.zeros([32])]))
            loss.backward()
            opt.step()
        }
        #expect(d.probabilityReal(real).min().item > 0.9)
        #expect(d.probabilityReal(fake).max().item < 0.1)
    }
}

@Suite struct PrefixDiscriminatorTests {
    @Test func creditsTheTokenThatWentWrong() {
        // Real: all 1s. Fake: 1s for three tokens, then 2s. Prefixes up to length 3 are the same in
        // both, so a trained prefix discriminator scores them near 1/2 and the later ones near 0.
        let real = Tensor.ones([16, 6])
        let fake = Tensor((0..<(16 * 6)).map { $0 % 6 < 3 ? 1 : 2 }, shape: [16, 6])
        let d = PrefixDiscriminator(vocabulary: 3, embedding: 4, hidden: 8, generator: RandomGenerator(seed: 1))
        let opt = Adam(d.namedParameters(), learningRate: 0.03)
        for _ in 0..<200 {
            opt.zeroGrad()
            let loss = d.loss(real: real, fake: fake)
            loss.backward()
            opt.step()
        }
        let r = d.rewards(fake).mean(axis: 0).scalars
        for t in 0..<3 { #expect(abs(r[t] - 0.5) < 0.1, "prefix \(t + 1): \(r[t])") }
        for t in 3..<6 { #expect(r[t] < 0.1, "prefix \(t + 1): \(r[t])") }
        #expect(d.rewards(real).mean(axis: 0).scalars[5] > 0.9)
    }
}

@Suite struct SoftSequencesTests {
    @Test func softSequencesAreDistributionsAndCarryGradients() {
        let g = TokenGenerator(vocabulary: 6, embedding: 4, hidden: 5, generator: RandomGenerator(seed: 2))
        for mode in SoftTokens.allCases {
            let y = g.softSequences(count: 3, length: 4, mode: mode, temperature: 0.8, generator: RandomGenerator(seed: 3))
            #expect(y.shape == [3, 4, 6])
            expectClose(y.sum(axis: 2).scalars, [Float](repeating: 1, count: 12), tol: 1e-5)
            if mode == .straightThrough { #expect(y.scalars.allSatisfy { abs($0) < 1e-6 || abs($0 - 1) < 1e-6 }) }
            let d = SequenceDiscriminator(vocabulary: 6, embedding: 3, widths: [1, 2], maps: [2, 2], dropout: 0, generator: RandomGenerator(seed: 4))
            let gradient = grad(of: [d(distributions: y).sum()], wrt: [g.output.weight])[0]
            #expect(gradient.scalars.contains { $0 != 0 }, "\(mode)")
        }
    }

    @Test func softmaxModeFollowsTheGeneratorsDistribution() {
        // At step 1 the softmax output is exactly the next-token distribution after the start token.
        let g = TokenGenerator(vocabulary: 5, embedding: 3, hidden: 4, generator: RandomGenerator(seed: 5))
        let y = g.softSequences(count: 2, length: 3, mode: .softmax, generator: RandomGenerator(seed: 1))
        let first = g.step(Tensor.zeros([2]), state: g.initialState(batch: 2)).logits.softmax(axis: -1)
        expectClose(y.select(axis: 1, index: 0).scalars, first.scalars, tol: 1e-6)
    }
}
