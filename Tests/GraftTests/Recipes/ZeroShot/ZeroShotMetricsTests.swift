import Testing
@testable import GraftRecipes

@Suite struct ZeroShotMetricsTests {
    @Test func harmonicMeanOfSeenAndUnseen() {
        #expect(abs(ZeroShotMetrics.harmonicMean(seen: 0.8, unseen: 0.4) - 0.64 / 1.2) < 1e-12)
        #expect(ZeroShotMetrics.harmonicMean(seen: 0.5, unseen: 0.5) == 0.5)
        #expect(ZeroShotMetrics.harmonicMean(seen: 0.9, unseen: 0) == 0)
        #expect(ZeroShotMetrics.harmonicMean(seen: 0, unseen: 0) == 0)
    }

    @Test func accuracyIsAveragedPerClass() throws {
        // Class 0: 1 of 1, class 1: 2 of 3, class 2: 1 of 1, class 3: no examples.
        let predicted = [0, 0, 1, 1, 2], truth = [0, 1, 1, 1, 2]
        let per = try ZeroShotMetrics.perClassAccuracy(predicted: predicted, truth: truth, classes: [0, 1, 2, 3])
        #expect(per[0] == 1 && abs(per[1]! - 2.0 / 3) < 1e-12 && per[2] == 1 && per[3] == nil)
        #expect(abs(try ZeroShotMetrics.meanClassAccuracy(predicted: predicted, truth: truth, classes: [0, 1, 2, 3]) - 8.0 / 9) < 1e-12)
        #expect(ZeroShotMetrics.chance(candidates: 4) == 0.25)
        #expect(ZeroShotMetrics.confusion(predicted: predicted, truth: truth, classes: [1, 2], predictedClasses: [0, 1, 2]) == [[1, 2, 0], [0, 0, 1]])
        #expect(throws: ZeroShotError.self) { try ZeroShotMetrics.perClassAccuracy(predicted: [0], truth: [0, 1], classes: [0]) }
    }
}
