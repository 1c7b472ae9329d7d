import Foundation
import Graft
import GraftNN
import Testing
@testable import GraftRecipes

@Suite struct DirectAttributePredictionTests {
    /// Three candidate signatures over two attributes, and one image with p(a₁ = 1 | x) = 0.8,
    /// p(a₂ = 1 | x) = 0.3.
    let signatures = Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2])
    let probabilities = Tensor([0.8, 0.3], shape: [1, 2])

    @Test func uniformPriorScoresAreLikelihoodRatios() throws {
        // Σ_m log p(a_m = a^z_m | x) − log ½: [1, 0] → log(0.8·0.7 / 0.25) = log 2.24,
        // [0, 1] → log(0.2·0.3 / 0.25) = log 0.24, [1, 1] → log(0.8·0.3 / 0.25) = log 0.96.
        let s = try DirectAttributePrediction.scores(probabilities: probabilities, signatures: signatures).scalars
        for (got, want) in zip(s, [log(2.24), log(0.24), log(0.96)]) { #expect(abs(Double(got) - want) < 1e-5) }
        #expect(try DirectAttributePrediction.predict(probabilities: probabilities, signatures: signatures) == [0])
    }

    @Test func theAttributePriorCanChangeTheDecision() throws {
        // Prior p(a = 1) = [0.9, 0.1]: [1, 0] → log(0.8/0.9 · 0.7/0.9) = log(0.56/0.81),
        // [0, 1] → log(0.2/0.1 · 0.3/0.1) = log 6, [1, 1] → log(0.8/0.9 · 0.3/0.1) = log(2.4/0.9).
        let prior = DirectAttributePrediction.Prior.frequencies([0.9, 0.1])
        let s = try DirectAttributePrediction.scores(probabilities: probabilities, signatures: signatures, prior: prior).scalars
        for (got, want) in zip(s, [log(0.56 / 0.81), log(6.0), log(2.4 / 0.9)]) { #expect(abs(Double(got) - want) < 1e-5) }
        #expect(try DirectAttributePrediction.predict(probabilities: probabilities, signatures: signatures, prior: prior) == [1])
    }

    @Test func priorsAreTheSeenSignaturesFrequencies() throws {
        let seen = Tensor([1, 0, 1, 1, 0, 0, 1, 0], shape: [4, 2])
        #expect(try DirectAttributePrediction.frequencies(of: seen) == [0.75, 0.25])
    }

    @Test func certaintyIsClampedSoScoresStayFinite() throws {
        let sure = Tensor([1, 0], shape: [1, 2])
        let s = try DirectAttributePrediction.scores(probabilities: sure, signatures: signatures, eps: 1e-4).scalars
        #expect(s.allSatisfy { $0.isFinite })
        // [0, 1] contradicts both attributes: 2 (log 1e-4 − log ½).
        #expect(abs(Double(s[1]) - 2 * (log(1e-4) - log(0.5))) < 1e-3)
    }

    @Test func badInputsAreRefusedWithWhere() {
        #expect(throws: ZeroShotError.invalidData(what: "candidate signatures", reason: "row 1, attribute 0 is 2.0, expected 0 or 1")) {
            try DirectAttributePrediction.scores(probabilities: probabilities, signatures: Tensor([1, 0, 2, 1], shape: [2, 2]))
        }
        #expect(throws: ZeroShotError.self) {
            try DirectAttributePrediction.scores(probabilities: Tensor([0.5, 0.5, 0.5], shape: [1, 3]), signatures: signatures)
        }
        #expect(throws: ZeroShotError.self) {
            try DirectAttributePrediction.scores(probabilities: Tensor([1.5, 0.5], shape: [1, 2]), signatures: signatures)
        }
    }

    @Test func trainingLearnsAttributesThatComposeIntoAnUnseenClass() throws {
        // Two input bits, each switching one attribute: seen classes [1, 0] and [0, 1]; the
        // unseen class [1, 1] is recognised from its signature alone.
        var x: [Float] = [], y: [Float] = []
        let g = RandomGenerator(seed: 3)
        for i in 0..<200 {
            let a: [Float] = i % 2 == 0 ? [1, 0] : [0, 1]
            x += a.map { $0 + 0.1 * (g.nextFloat() - 0.5) }
            y += a
        }
        let model = Linear(2, 2, generator: RandomGenerator(seed: 1))
        let history = try DirectAttributePrediction.train(model, inputs: Tensor(x, shape: [200, 2]), targets: Tensor(y, shape: [200, 2]),
                                                          epochs: 60, batchSize: 20, learningRate: 0.05, seed: 2)
        #expect(history.count == 60 && history.last! < history.first!)
        let p = DirectAttributePrediction.attributeProbabilities(model, inputs: Tensor([1, 1, 0, 0], shape: [2, 2]))
        let candidates = Tensor([1, 1, 0, 0], shape: [2, 2])   // the unseen [1, 1] and [0, 0]
        #expect(try DirectAttributePrediction.predict(probabilities: p, signatures: candidates) == [0, 1])
    }
}
