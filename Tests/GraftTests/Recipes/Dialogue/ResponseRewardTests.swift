import Foundation
import Testing
@testable import GraftRecipes

@Suite struct ResponseRewardTests {
    @Test func matchesTheHandComputedTerms() {
        // Vocabulary of 6; answers hold token 4 three times and token 5 once (N = 4, N + V = 10).
        let reward = ResponseReward(answers: [[4, 4], [4, 5]], vocabulary: 6, lengthCap: 4)
        #expect(abs(reward.maxSurprisal - log(10)) < 1e-12)
        #expect(abs(reward.surprisal[4] - -log(0.4)) < 1e-12 && abs(reward.surprisal[5] - -log(0.2)) < 1e-12)
        // y = [4, 5]: length 2/4, information (s4 + s5) / 2 / log 10, no repetition, not dull.
        let expected = 0.5 + (-log(0.4) - log(0.2)) / 2 / log(10)
        #expect(abs(reward([4, 5]) - expected) < 1e-12)
        // y = [4, 4, 4, 4, 4, 4]: full length term, information s4 / log 10, repetition 1 - 1/6.
        let stutter = 1 + -log(0.4) / log(10) - (1 - 1.0 / 6)
        #expect(abs(reward([4, 4, 4, 4, 4, 4]) - stutter) < 1e-12)
        #expect(reward([]) == -1)
    }

    @Test func dullAnswersLoseTheirWeight() {
        var reward = ResponseReward(answers: [[4, 5]], vocabulary: 6, lengthCap: 4, dullWeight: 0.5)
        let before = reward([4, 5])
        reward.dull = ResponseReward.mostCommon([[4, 5], [5], [4, 5], [5], [1]], count: 2)
        #expect(reward.dull == [[4, 5], [5]])
        #expect(abs(reward([4, 5]) - (before - 0.5)) < 1e-12)
        // Rarer words earn more, longer answers earn more, up to the cap.
        let plain = ResponseReward(answers: [[4, 4, 4, 5]], vocabulary: 6, lengthCap: 3)
        #expect(plain([5]) > plain([4]))
        #expect(plain([4, 5]) > plain([4]))
        // Past the cap only the repetition term moves: 1 - 2/4 against 1 - 2/6.
        #expect(abs(plain([5, 4, 5, 4]) - plain([5, 4, 5, 4, 5, 4]) - 1.0 / 6) < 1e-12)
    }
}
