import Foundation
import Testing
@testable import Graft
@testable import GraftMetrics

@Suite struct ClassifierScoreTests {
    /// One-hot rows of `labels` over `k` classes.
    func oneHot(_ labels: [Int], _ k: Int) -> Tensor {
        var v = [Float](repeating: 0, count: labels.count * k)
        for (i, l) in labels.enumerated() { v[i * k + l] = 1 }
        return Tensor(v, shape: [labels.count, k])
    }

    @Test func oneHotUniformClassesScoreTheNumberOfClasses() throws {
        let r = try ClassifierScore.evaluate(probabilities: oneHot((0..<100).map { $0 % 10 }, 10), splits: 10)
        #expect(abs(r.score - 10) < 1e-12 && r.std < 1e-12)
        #expect(r.meanConfidence == 1 && r.meanConditionalEntropy == 0 && r.classesCovered == 10)
        #expect(abs(r.marginalEntropy - log(10)) < 1e-12)
    }

    @Test func collapsedOrUnsureSamplesScoreOne() throws {
        let collapsed = try ClassifierScore.evaluate(probabilities: oneHot([3, 3, 3, 3], 5), splits: 2)
        #expect(abs(collapsed.score - 1) < 1e-12 && collapsed.classesCovered == 1 && collapsed.marginalEntropy == 0)
        let unsure = try ClassifierScore.evaluate(probabilities: Tensor([Float](repeating: 0.25, count: 12), shape: [3, 4]), splits: 1)
        #expect(abs(unsure.score - 1) < 1e-12 && unsure.meanConfidence == 0.25)
        #expect(abs(unsure.meanConditionalEntropy - log(4)) < 1e-12)
    }

    @Test func logitsAreSoftmaxed() throws {
        let logits = Tensor([2, 0, -1, 0.5, 3, 1], shape: [2, 3])
        let fromLogits = try ClassifierScore.evaluate(logits: logits, splits: 1)
        let p = logits.softmax(axis: 1)
        let fromProbs = try ClassifierScore.evaluate(probabilities: p, splits: 1)
        #expect(abs(fromLogits.score - fromProbs.score) < 1e-6)
    }

    @Test func refusesRowsThatAreNotDistributions() {
        #expect(thrownText { try ClassifierScore.evaluate(probabilities: Tensor([0.5, 0.5, 0.25, 0.25], shape: [2, 2]), splits: 1) }
            == "probabilities: row 1 sums to 0.5; class probabilities must sum to 1 (for logits use --logits or ClassifierScore.evaluate(logits:))")
        #expect(thrownText { try ClassifierScore.evaluate(probabilities: Tensor([1.5, -0.5], shape: [1, 2]), splits: 1) }
            .contains("row 0 has -0.5 at column 1"))
        #expect(thrownText { try ClassifierScore.evaluate(probabilities: Tensor([1, 0], shape: [1, 2]), splits: 2) }
            .contains("splits must be between 1 and the 1 rows, got 2"))
    }
}
