import Foundation

/// How the two entropies are averaged in the denominator of normalized mutual information.
public enum NMIAverage: Sendable {
    /// (H(U) + H(V)) / 2, scikit-learn's default.
    case arithmetic
    /// sqrt(H(U) H(V)), Strehl and Ghosh (2002).
    case geometric
    /// min(H(U), H(V)).
    case min
    /// max(H(U), H(V)).
    case max
}

/// External measures of a clustering against true labels, used to compare self-taught clustering
/// with k-means (Dai et al. 2008 report both). Cluster and label ids are arbitrary integers.
public enum ClusteringMetrics {
    /// The contingency table: `table[i][j]` counts the points in the i-th cluster id and the j-th
    /// label id (both ids in increasing order).
    public static func contingency(predicted: [Int], labels: [Int]) throws -> (table: [[Int]], clusters: [Int], classes: [Int]) {
        guard predicted.count == labels.count else {
            throw TransferError.invalidData(what: "clustering", reason: "\(predicted.count) cluster assignments for \(labels.count) labels")
        }
        guard !labels.isEmpty else { throw TransferError.invalidData(what: "clustering", reason: "expected at least one point, got none") }
        let clusters = Array(Set(predicted)).sorted(), classes = Array(Set(labels)).sorted()
        let ci = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        let li = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var table = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: clusters.count)
        for (c, l) in zip(predicted, labels) { table[ci[c]!][li[l]!] += 1 }
        return (table, clusters, classes)
    }

    /// Clustering accuracy: the fraction of points whose cluster maps to their label under the
    /// best one-to-one mapping of clusters to labels (found by the Hungarian method); clusters
    /// left without a label count as wrong: max over one-to-one maps m of (1/n) Σ_i 1[l_i = m(c_i)],
    /// the unsupervised clustering accuracy of Xie et al. 2016 ("Unsupervised deep embedding for
    /// clustering analysis"). Unlike `Statistics.accuracy`, cluster ids need not equal label values.
    public static func bestMatchAccuracy(predicted: [Int], labels: [Int]) throws -> Double {
        let (table, _, _) = try contingency(predicted: predicted, labels: labels)
        let mapping = LinearAssignment.minimumCost(table.map { $0.map { -Double($0) } })
        let matched = mapping.enumerated().reduce(0) { $0 + ($1.element >= 0 ? table[$1.offset][$1.element] : 0) }
        return Double(matched) / Double(labels.count)
    }

    /// The mutual information I(U; V) in nats between the clustering and the labels.
    public static func mutualInformation(predicted: [Int], labels: [Int]) throws -> Double {
        let (table, _, _) = try contingency(predicted: predicted, labels: labels)
        let n = Double(labels.count)
        let rowSums = table.map { Double($0.reduce(0, +)) }
        let colSums = (0..<(table.first?.count ?? 0)).map { j in Double(table.reduce(0) { $0 + $1[j] }) }
        var mi = 0.0
        for (i, row) in table.enumerated() {
            for (j, c) in row.enumerated() where c > 0 {
                let nij = Double(c)
                mi += nij / n * Foundation.log(n * nij / (rowSums[i] * colSums[j]))
            }
        }
        return Swift.max(mi, 0)
    }

    /// The entropy in nats of a labelling.
    public static func entropy(_ labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        var counts: [Int: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        let n = Double(labels.count)
        // Summed in a fixed order: a dictionary's order can differ between equal dictionaries.
        return -counts.values.sorted().reduce(0.0) { let p = Double($1) / n; return $0 + p * Foundation.log(p) }
    }

    /// Normalized mutual information I(U; V) / mean(H(U), H(V)), in [0, 1], as scikit-learn
    /// computes it: 1 when both labellings put every point in one group, 0 when I = 0.
    public static func normalizedMutualInformation(predicted: [Int], labels: [Int], average: NMIAverage = .arithmetic) throws -> Double {
        let (_, clusters, classes) = try contingency(predicted: predicted, labels: labels)
        if clusters.count == 1 && classes.count == 1 { return 1 }
        let mi = try mutualInformation(predicted: predicted, labels: labels)
        if mi <= 0 { return 0 }
        let hu = entropy(predicted), hv = entropy(labels)
        let denominator: Double
        switch average {
        case .arithmetic: denominator = (hu + hv) / 2
        case .geometric: denominator = (hu * hv).squareRoot()
        case .min: denominator = Swift.min(hu, hv)
        case .max: denominator = Swift.max(hu, hv)
        }
        return Swift.min(mi / Swift.max(denominator, .leastNormalMagnitude), 1)
    }
}
