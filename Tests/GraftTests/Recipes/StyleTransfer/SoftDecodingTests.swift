import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftData
@testable import GraftRecipes

@Suite struct SoftDecodingTests {
    static func model() throws -> Seq2Seq {
        try Seq2Seq(Seq2SeqConfig(sourceVocabulary: 9, targetVocabulary: 8, embedding: 6, hidden: 10), generator: RandomGenerator(seed: 3))
    }

    @Test func encodingEmbeddedOneHotsMatchesEncodingTokens() throws {
        let model = try Self.model()
        let padded = padBatch([[4, 5, 8], [6, 7]], padIndex: 0)
        let byTokens = model.encode(padded.tokens, lengths: padded.lengths)
        let oneHot = Tensor.oneHot(padded.tokens, classes: 9)
        let byEmbedding = model.encode(embedded: matmul(oneHot, model.sourceEmbedding.weight), lengths: padded.lengths)
        expectClose(byEmbedding.outputs.scalars, byTokens.outputs.scalars, tol: 1e-5)
        expectClose(byEmbedding.finalState.h[0].scalars, byTokens.finalState.h[0].scalars, tol: 1e-5)
    }

    @Test func straightThroughArgmaxDecodesLikeGreedy() throws {
        let model = try Self.model()
        model.eval()
        let padded = padBatch([[4, 5, 6], [7, 4], [5]], padIndex: 0)
        let greedy = model.greedy(padded.tokens, lengths: padded.lengths, maxLength: 6)
        let soft = model.softDecode(memory: model.encode(padded.tokens, lengths: padded.lengths), steps: 6, temperature: 0.5,
                                    noise: false, generator: RandomGenerator(seed: 1))
        #expect(soft.tokens == greedy)
        #expect(soft.distributions.shape == [3, 6, 8])
        // Forward, every row is one-hot.
        let sums = soft.distributions.sum(axis: 2).scalars, maxima = soft.distributions.max(axis: 2).scalars
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-5 } && maxima.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func softDecodingPassesGradientsToTheEncoder() throws {
        let model = try Self.model()
        let padded = padBatch([[4, 5, 6], [7, 4]], padIndex: 0)
        let soft = model.softDecode(memory: model.encode(padded.tokens, lengths: padded.lengths), steps: 4, temperature: 1,
                                    generator: RandomGenerator(seed: 2))
        (soft.distributions * Tensor.uniform(soft.distributions.shape, generator: RandomGenerator(seed: 5))).sum().backward()
        let g = try #require(model.sourceEmbedding.weight.grad)
        #expect(g.scalars.contains { $0 != 0 }, "the source embedding gets a gradient through the soft tokens")
    }

    @Test func paddingKeepsTokensUpToTheEndAndHasTheRightGradient() {
        let d = sample([2, 4, 5], low: 0, high: 1, seed: 7)
        let soft = SoftSequence(distributions: d, tokens: [[1, 2], [3]])
        let p = soft.padded(padIndex: 0).scalars
        // Row 0 keeps positions 0 and 1; positions 2 and 3 are the pad one-hot.
        #expect(Array(p[0..<10]) == Array(d.scalars[0..<10]))
        #expect(Array(p[10..<15]) == [1, 0, 0, 0, 0] && Array(p[15..<20]) == [1, 0, 0, 0, 0])
        #expect(Array(p[20..<25]) == Array(d.scalars[20..<25]) && Array(p[25..<30]) == [1, 0, 0, 0, 0])
        #expect(soft.mask(extra: 1).scalars == [1, 1, 1, 0, 1, 1, 0, 0])
        checkGradients([d]) { SoftSequence(distributions: $0[0], tokens: [[1, 2], [3]]).padded(padIndex: 0) }
    }
}
