import Foundation
import Testing
@testable import GraftRecipes

@Suite struct ClusteringMetricsTests {
    @Test func hungarianFindsTheCheapestAssignment() {
        // scipy's linear_sum_assignment example: rows to columns 1, 0, 2 at total cost 5.
        #expect(LinearAssignment.minimumCost([[4, 1, 3], [2, 0, 5], [3, 2, 2]]) == [1, 0, 2])
        // More columns than rows: 2 + 2 beats 1 + 4.
        #expect(LinearAssignment.minimumCost([[1, 2, 3], [2, 4, 6]]) == [1, 0])
        // More rows than columns: one row is left out.
        #expect(LinearAssignment.minimumCost([[1, 2], [2, 4], [3, 6]]) == [1, 0, -1])
        #expect(LinearAssignment.minimumCost([]) == [])
    }

    @Test func accuracyOnHandComputedCases() throws {
        // A relabelled perfect clustering.
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: [0, 0, 1, 1], labels: [1, 1, 0, 0]) == 1)
        // Contingency [[2, 1, 0], [0, 1, 2]]: cluster 0 ↦ label 0, cluster 1 ↦ label 2, 4 of 6.
        #expect(abs(try ClusteringMetrics.bestMatchAccuracy(predicted: [0, 0, 0, 1, 1, 1], labels: [0, 0, 1, 1, 2, 2]) - 4.0 / 6) < 1e-12)
        // More clusters than labels: the extra cluster counts as wrong, 3 of 4.
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: [0, 1, 2, 2], labels: [0, 0, 1, 1]) == 0.75)
        // Arbitrary ids.
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: [7, 7, -3], labels: [10, 10, 20]) == 1)
        #expect(throws: TransferError.self) { try ClusteringMetrics.bestMatchAccuracy(predicted: [0], labels: [0, 1]) }
        #expect(throws: TransferError.self) { try ClusteringMetrics.bestMatchAccuracy(predicted: [], labels: []) }
    }

    @Test func nmiOnHandComputedCases() throws {
        #expect(abs(try ClusteringMetrics.normalizedMutualInformation(predicted: [0, 0, 1, 1], labels: [1, 1, 0, 0]) - 1) < 1e-12)
        // Independent: I = 0.
        #expect(try ClusteringMetrics.normalizedMutualInformation(predicted: [0, 0, 1, 1], labels: [0, 1, 0, 1]) == 0)
        // One group each: 1 by convention.
        #expect(try ClusteringMetrics.normalizedMutualInformation(predicted: [4, 4, 4], labels: [2, 2, 2]) == 1)
        // Contingency [[2, 1, 0], [0, 1, 2]] over 6 points: I = 2·(2/6)·ln 2 = (2/3) ln 2,
        // H(U) = ln 2, H(V) = ln 3.
        let predicted = [0, 0, 0, 1, 1, 1], labels = [0, 0, 1, 1, 2, 2]
        let mi = 2.0 / 3 * log(2.0)
        #expect(abs(try ClusteringMetrics.mutualInformation(predicted: predicted, labels: labels) - mi) < 1e-12)
        let cases: [(NMIAverage, Double)] = [(.arithmetic, (log(2.0) + log(3.0)) / 2), (.geometric, (log(2.0) * log(3.0)).squareRoot()),
                                            (.min, log(2.0)), (.max, log(3.0))]
        for (average, denominator) in cases {
            let nmi = try ClusteringMetrics.normalizedMutualInformation(predicted: predicted, labels: labels, average: average)
            #expect(abs(nmi - mi / denominator) < 1e-12, "\(average)")
        }
        #expect(abs(try ClusteringMetrics.normalizedMutualInformation(predicted: predicted, labels: labels) - 0.5158037429793888) < 1e-12)
    }
}
