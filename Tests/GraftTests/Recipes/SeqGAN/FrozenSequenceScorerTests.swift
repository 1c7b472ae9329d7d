import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct FrozenSequenceScorerTests {
    /// A discriminator with every parameter redrawn N(0, 0.5²), so scores spread over (0, 1);
    /// map counts below, at and above the 8-float vector width.
    func randomDiscriminator(vocabulary: Int, seed: UInt64) -> SequenceDiscriminator {
        let d = SequenceDiscriminator(vocabulary: vocabulary, embedding: 5, widths: [1, 2, 3, 5], maps: [3, 8, 11, 17],
                                      generator: RandomGenerator(seed: seed))
        let g = RandomGenerator(seed: seed &+ 100)
        noGrad {
            for (_, p) in d.namedParameters() { p.assign(Tensor.randn(p.shape, std: 0.5, generator: g)) }
        }
        return d
    }

    func randomTokens(_ shape: [Int], vocabulary: Int, seed: UInt64) -> Tensor {
        let g = RandomGenerator(seed: seed)
        return Tensor((0..<shape.reduce(1, *)).map { _ in Float(g.nextInt(below: vocabulary)) }, shape: shape)
    }

    /// |a - b| <= tol * max(|a|, |b|) elementwise.
    func expectRelativelyClose(_ a: [Float], _ b: [Float], tol: Float, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (i, (x, y)) in zip(a, b).enumerated() {
            #expect(abs(x - y) <= tol * max(abs(x), abs(y)), "element \(i): \(x) vs \(y)", sourceLocation: sourceLocation)
        }
    }

    @Test func scoresLikeTheDiscriminator() {
        let d = randomDiscriminator(vocabulary: 13, seed: 1)
        let tokens = randomTokens([9, 7], vocabulary: 13, seed: 2)
        let expected = d.probabilityReal(tokens).scalars
        let scorer = d.rolloutScorer()
        #expect(scorer.features == 39 && scorer.widths == [1, 2, 3, 5])
        let got = scorer.probabilityReal(tokens).scalars
        expectRelativelyClose(got, expected, tol: 1e-5)
        // The weights make the scores differ between sequences: the comparison is not vacuous.
        #expect(expected.max()! - expected.min()! > 0.1)
    }

    @Test func rolloutScoresEqualThoseOfTheAssembledSequences() {
        let d = randomDiscriminator(vocabulary: 11, seed: 3)
        let scorer = d.rolloutScorer()
        let (b, l, n) = (4, 8, 3)
        let sentences = randomTokens([b, l], vocabulary: 11, seed: 4)
        for given in 0...l {
            let rest = randomTokens([n * b, l - given], vocabulary: 11, seed: 10 + UInt64(given))
            let repeated = sentences.unsqueeze(axis: 0).expand([n, b, l]).reshape([n * b, l])
            let full = given == 0 ? rest : (given == l ? repeated : Tensor.concat([repeated.slice(axis: 1, start: 0, end: given), rest], axis: 1))
            let got = scorer.rolloutProbabilities(sentences: sentences, given: given, completions: rest)
            #expect(got.shape == [n * b])
            expectRelativelyClose(got.scalars, d.probabilityReal(full).scalars, tol: 1e-5)
            // Bitwise the scorer's own score of the assembled sequences (same summation order).
            #expect(got.scalars == scorer.probabilityReal(full).scalars, "given \(given)")
        }
    }

    @Test func isAFrozenCopy() {
        let d = randomDiscriminator(vocabulary: 7, seed: 5)
        let tokens = randomTokens([3, 6], vocabulary: 7, seed: 6)
        let scorer = d.rolloutScorer()
        let before = scorer.probabilityReal(tokens).scalars
        noGrad { d.gate.weight.assign(d.gate.weight * 3); d.embedding.weight.assign(d.embedding.weight * -1) }
        #expect(scorer.probabilityReal(tokens).scalars == before)
        #expect(d.probabilityReal(tokens).scalars != before)
    }

    @Test func fastRolloutRewardsMatchTheScoreClosure() {
        // The same generator seed gives the same completions, so the two paths differ only by
        // float rounding; the last column is D's score of the sentences.
        let policy = TokenGenerator(vocabulary: 11, embedding: 4, hidden: 6, generator: RandomGenerator(seed: 7))
        let d = randomDiscriminator(vocabulary: 11, seed: 8)
        let sentences = policy.sample(count: 5, length: 6, generator: RandomGenerator(seed: 9))
        let rollout = MonteCarloRollout(rollouts: 4)
        let slow = rollout.rewards(for: sentences, policy: policy, score: { d.probabilityReal($0) }, generator: RandomGenerator(seed: 10))
        let fast = rollout.rewards(for: sentences, policy: policy, discriminator: d, generator: RandomGenerator(seed: 10))
        #expect(fast.shape == [5, 6])
        expectRelativelyClose(fast.scalars, slow.scalars, tol: 1e-5)
        expectRelativelyClose(fast.select(axis: 1, index: 5).scalars, d.probabilityReal(sentences).scalars, tol: 1e-5)
        // Deterministic: the same seed gives the same numbers.
        let again = rollout.rewards(for: sentences, policy: policy, discriminator: d, generator: RandomGenerator(seed: 10))
        #expect(again.scalars == fast.scalars)
    }

    @Test func scoresDoNotDependOnTheThreadCount() {
        let d = randomDiscriminator(vocabulary: 13, seed: 11)
        let scorer = d.rolloutScorer()
        let sentences = randomTokens([6, 9], vocabulary: 13, seed: 12)
        let rest = randomTokens([24, 5], vocabulary: 13, seed: 13)
        let one = ComputeThreads.with(1) { scorer.rolloutProbabilities(sentences: sentences, given: 4, completions: rest) }
        let two = ComputeThreads.with(2) { scorer.rolloutProbabilities(sentences: sentences, given: 4, completions: rest) }
        #expect(one.scalars == two.scalars)
    }
}
