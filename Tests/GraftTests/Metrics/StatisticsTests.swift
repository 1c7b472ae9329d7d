import Testing
import Graft
@testable import GraftMetrics

/// Mean ± std and accuracy, against values worked out by hand (and NumPy's ddof conventions).
struct StatisticsTests {
    @Test func meanAndBothStandardDeviations() {
        let v = [2.0, 4, 4, 4, 5, 5, 7, 9]
        #expect(Statistics.mean(v) == 5)
        #expect(abs(Statistics.populationStd(v) - 2) < 1e-12)             // numpy.std(v)
        #expect(abs(Statistics.sampleStd(v) - 2.138089935299395) < 1e-12) // numpy.std(v, ddof=1)
        #expect(Statistics.mean([]) == 0 && Statistics.sampleStd([3]) == 0 && Statistics.populationStd([]) == 0)
    }

    @Test func accuracyCountsMatchesAndRefusesMismatchedLengths() throws {
        #expect(try Statistics.accuracy(predicted: [0, 1, 2, 2], labels: [0, 1, 1, 2]) == 0.75)
        #expect(throws: ShapeError.self) { try Statistics.accuracy(predicted: [0], labels: [0, 1]) }
        let logits = Tensor([0.1, 0.9, 0.8, 0.2, 0.3, 0.7], shape: [3, 2])
        #expect(try Statistics.accuracy(logits: logits, labels: Tensor([1, 0, 0], shape: [3])) == 2.0 / 3)
    }
}
