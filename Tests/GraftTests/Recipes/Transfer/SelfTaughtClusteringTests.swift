import Foundation
import Testing
@testable import Graft
@testable import GraftRecipes

@Suite struct SelfTaughtClusteringTests {
    /// Rows of 12 features in 3 groups of 4: a row of cluster c is heavy on group map(c).
    func planted(rows: Int, map: [Int], seed: UInt64) -> (data: [[Double]], labels: [Int]) {
        let g = RandomGenerator(seed: seed)
        var data: [[Double]] = [], labels: [Int] = []
        for i in 0..<rows {
            let c = i % 3
            data.append((0..<12).map { z in (z / 4 == map[c] ? 4 : 0.5) + 0.5 * Double(g.nextFloat()) })
            labels.append(c)
        }
        return (data, labels)
    }

    @Test func recoversPlantedCoClusters() throws {
        let target = planted(rows: 9, map: [0, 1, 2], seed: 1)
        let auxiliary = planted(rows: 60, map: [2, 0, 1], seed: 2)
        let stc = SelfTaughtClustering(targetClusters: 3, auxiliaryClusters: 3, featureClusters: 3, lambda: 1, seed: 5)
        let result = try stc.fit(target: target.data, auxiliary: auxiliary.data)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.targetAssignments, labels: target.labels) == 1)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.auxiliaryAssignments, labels: auxiliary.labels) == 1)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.featureAssignments, labels: (0..<12).map { $0 / 4 }) == 1)
        // The alternating updates never increase the objective.
        for (a, b) in zip(result.objective, result.objective.dropFirst()) { #expect(b <= a + 1e-12, "\(result.objective)") }
        #expect(result.objective.count == result.iterations + 1)
        // Deterministic for a seed.
        let again = try stc.fit(target: target.data, auxiliary: auxiliary.data)
        #expect(again.targetAssignments == result.targetAssignments && again.objective == result.objective)
    }

    @Test func theUpdatesDoTheWorkFromRandomStarts() throws {
        // From random partitions the alternating updates must find the planted structure
        // themselves; a single start can stop in a local minimum, the best of ten does not.
        let target = planted(rows: 9, map: [0, 1, 2], seed: 1)
        let auxiliary = planted(rows: 60, map: [2, 0, 1], seed: 2)
        func stc(_ restarts: Int) -> SelfTaughtClustering {
            SelfTaughtClustering(targetClusters: 3, auxiliaryClusters: 3, featureClusters: 3, lambda: 1, initialization: .random,
                                 restarts: restarts, seed: 1)
        }
        let single = try stc(1).fit(target: target.data, auxiliary: auxiliary.data)
        let result = try stc(10).fit(target: target.data, auxiliary: auxiliary.data)
        #expect(result.objective.last! <= single.objective.last!)
        #expect(result.objective.first! - result.objective.last! > 0.1, "\(result.objective)")
        for run in [single, result] {
            for (a, b) in zip(run.objective, run.objective.dropFirst()) { #expect(b <= a + 1e-12, "\(run.objective)") }
        }
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.targetAssignments, labels: target.labels) == 1)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.auxiliaryAssignments, labels: auxiliary.labels) == 1)
        #expect(try ClusteringMetrics.bestMatchAccuracy(predicted: result.featureAssignments, labels: (0..<12).map { $0 / 4 }) == 1)
        // The reported objective is J of the returned clusterings.
        let recomputed = try stc(1).objective(target: target.data, auxiliary: auxiliary.data, targetAssignments: result.targetAssignments,
                                               auxiliaryAssignments: result.auxiliaryAssignments, featureAssignments: result.featureAssignments)
        #expect(abs(recomputed - result.objective.last!) < 1e-12)
    }

    @Test func objectiveIsTheLossInMutualInformation() throws {
        // p = q = diag(1/2, 1/2): I(X; Z) = I(Y; Z) = ln 2.
        let diag: [[Double]] = [[1, 0], [0, 1]]
        let stc = SelfTaughtClustering(targetClusters: 2, auxiliaryClusters: 2, featureClusters: 2, lambda: 0.5, seed: 1)
        // Target kept apart (no loss), auxiliary merged into one cluster (loses all of ln 2).
        let j = try stc.objective(target: diag, auxiliary: diag, targetAssignments: [0, 1], auxiliaryAssignments: [0, 0], featureAssignments: [0, 1])
        #expect(abs(j - 0.5 * log(2.0)) < 1e-12)
        // Merging the features loses everything on both sides: ln 2 + 0.5 ln 2.
        let merged = try stc.objective(target: diag, auxiliary: diag, targetAssignments: [0, 1], auxiliaryAssignments: [0, 1],
                                       featureAssignments: [1, 1])
        #expect(abs(merged - 1.5 * log(2.0)) < 1e-12)
    }

    @Test func refusesUnusableData() {
        let stc = SelfTaughtClustering(targetClusters: 2, auxiliaryClusters: 2, featureClusters: 2, seed: 1)
        #expect(throws: TransferError.invalidData(what: "target data row 1 column 0", reason: "expected a finite non-negative value, got -1.0")) {
            try stc.fit(target: [[1, 2], [-1, 0]], auxiliary: [[1, 1], [2, 2]])
        }
        #expect(throws: TransferError.self) { try stc.fit(target: [[1, 2], [1, 0]], auxiliary: [[1, 1, 1], [2, 2, 2]]) }
        #expect(throws: TransferError.self) { try stc.fit(target: [[0, 0], [0, 0]], auxiliary: [[1, 1], [2, 2]]) }
        #expect(throws: TransferError.self) { try stc.fit(target: [[1, 2]], auxiliary: [[1, 1], [2, 2]]) }
        #expect(throws: TransferError.self) { try stc.fit(target: Tensor([1, 2]), auxiliary: Tensor([[1, 1], [2, 2]])) }
    }
}
