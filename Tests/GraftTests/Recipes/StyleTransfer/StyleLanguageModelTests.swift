import Foundation
import Testing
@testable import Graft
@testable import GraftNN
@testable import GraftRecipes

@Suite struct StyleLanguageModelTests {
    @Test func softNLLOfOneHotsIsTheMaskedNLL() {
        let lm = TokenGenerator(vocabulary: 7, embedding: 5, hidden: 6, startToken: 2, generator: RandomGenerator(seed: 1))
        let (tokens, mask) = TokenGenerator.sentenceTargets([[4, 5, 6], [5]], endIndex: 3, padIndex: 0)
        let hard = lm.maskedNLL(tokens, mask: mask).item
        let soft = lm.softNLL(Tensor.oneHot(tokens, classes: 7), mask: mask).item
        #expect(abs(hard - soft) < 1e-5, "\(hard) vs \(soft)")
        #expect(mask.scalars == [1, 1, 1, 1, 1, 1, 0, 0])
    }

    @Test func softNLLGradientMatchesFiniteDifferences() {
        let lm = TokenGenerator(vocabulary: 5, embedding: 4, hidden: 5, startToken: 2, generator: RandomGenerator(seed: 2))
        let mask = Tensor([1, 1, 1, 1, 1, 0], shape: [2, 3])
        checkGradients([sample([2, 3, 5], low: 0.05, high: 1, seed: 3)], eps: 1e-2, atol: 3e-3, rtol: 3e-2) {
            lm.softNLL($0[0], mask: mask)
        }
    }

    @Test func learnsADeterministicLanguageToAPerplexityNearOne() {
        // Style "count up": 4 5 6 7 or 5 6 7; the end token always follows 7.
        let g = RandomGenerator(seed: 4)
        let lm = TokenGenerator(vocabulary: 8, embedding: 8, hidden: 16, startToken: 2, generator: g)
        let optimizer = Adam(lm.namedParameters(), learningRate: 0.02)
        let data: [[Int]] = [[4, 5, 6, 7], [5, 6, 7]]
        let before = lm.perplexity(data, endIndex: 3, padIndex: 0)
        for _ in 0..<150 { lm.fitStep((0..<16).map { _ in data[g.nextInt(below: 2)] }, endIndex: 3, padIndex: 0, optimizer: optimizer) }
        let after = lm.perplexity(data, endIndex: 3, padIndex: 0)
        // The first token is a fair coin (entropy ln 2 over 9 positions): perplexity exp(2 ln 2 / 9) ≈ 1.17.
        #expect(before > 4 && after < 1.3, "perplexity \(before) before, \(after) after")
        #expect(lm.perplexity([[7, 6, 5, 4]], endIndex: 3, padIndex: 0) > 20, "the reversed sentence is implausible")
        #expect(lm.perplexity([], endIndex: 3, padIndex: 0).isNaN)
    }
}
