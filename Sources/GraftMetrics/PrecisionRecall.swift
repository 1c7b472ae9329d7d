import Graft

/// Improved precision and recall of a generated set against a real one.
public struct PrecisionRecallResult: Sendable, Equatable {
    /// The fraction of generated rows inside the real manifold.
    public let precision: Double
    /// The fraction of real rows inside the generated manifold.
    public let recall: Double
    /// The neighbourhood size used for the radii.
    public let k: Int
}

/// Improved precision and recall (Kynkäänniemi et al., "Improved Precision and Recall Metric for
/// Assessing Generative Models", NeurIPS 2019, equations 1-3): each set's manifold is the union
/// of balls around its rows whose radius is the distance to the row's k-th nearest other row of
/// the same set;
///
///     precision = (1/|G|) sum_{g in G} [g inside manifold(R)],
///     recall    = (1/|R|) sum_{r in R} [r inside manifold(G)],
///
/// with x inside manifold(S) when ||x - s|| <= radius(s) for some s in S. Radii are exact Float64
/// distances; membership is decided on SGEMM distances and re-checked exactly in Float64 when the
/// two are within rounding of each other.
public enum PrecisionRecall {
    /// Precision and recall of `fake` ([m, d]) against `real` ([n, d]); both need more than `k` rows.
    /// Memory beyond the inputs must fit `budget` (nil: `MemoryBudget.system()`).
    public static func evaluate(real: Tensor, fake: Tensor, k: Int = 3, budget: MemoryBudget? = nil) throws -> PrecisionRecallResult {
        try evaluate(real: FeatureMatrix(real, name: "real set"), fake: FeatureMatrix(fake, name: "generated set"), k: k, budget: budget)
    }

    /// The peak memory: tensor and centred copies of both sets (Float32), a block of distances,
    /// and k + 3 candidates with their exact distances for every row.
    static func plan(real: FeatureMatrix, fake: FeatureMatrix, k: Int) -> MemoryPlan {
        let rows = Double(real.rows + fake.rows)
        return MemoryPlan(work: "precision and recall of \(fake.name) [\(fake.rows), \(fake.cols)] against "
                            + "\(real.name) [\(real.rows), \(real.cols)]",
                          bytes: 4 * 4 * rows * Double(real.cols) + MemoryPlan.pairwiseBlock + 64 * rows * Double(k + 4),
                          instead: "use fewer rows or fewer features")
    }

    /// Precision and recall on validated matrices.
    static func evaluate(real: FeatureMatrix, fake: FeatureMatrix, k: Int, budget: MemoryBudget? = nil) throws -> PrecisionRecallResult {
        try fake.requireSameWidth(as: real)
        guard k >= 1 else { throw MetricError("precision/recall: k must be at least 1, got \(k)") }
        for m in [real, fake] where m.rows <= k {
            throw MetricError("\(m.name): has \(m.rows) rows; k = \(k) needs at least \(k + 1)")
        }
        try plan(real: real, fake: fake, k: k).check(budget ?? MemoryBudget.system())
        let realRadii = radii(real, k: k)
        let fakeRadii = radii(fake, k: k)
        let precision = coverage(of: fake, by: real, radii: realRadii)
        let recall = coverage(of: real, by: fake, radii: fakeRadii)
        return PrecisionRecallResult(precision: precision, recall: recall, k: k)
    }

    /// The squared distance of each row to its k-th nearest other row (the row itself, at
    /// distance 0, being the first of the k + 1 nearest, as in the authors' code).
    static func radii(_ m: FeatureMatrix, k: Int) -> [Double] {
        NearestNeighbours.exactSearch(m, m, k: k + 1).distances.map { $0[k] * $0[k] }
    }

    /// The fraction of rows of `x` within `radii[j]` of some row j of `s`.
    static func coverage(of x: FeatureMatrix, by s: FeatureMatrix, radii: [Double]) -> Double {
        // Rounding of the SGEMM distances is a few ulps of the squared norms centred on the
        // median of s (summed over up to d products). Each such norm is at most 4 times the
        // largest norm about the mean measured here (a column's median lies within one standard
        // deviation of its mean): closer calls than this are decided exactly.
        let centre = s.columnMeans()
        var largestNorm = 0.0
        for m in [x, s] {
            for r in 0..<m.rows {
                var t = 0.0
                for c in 0..<m.cols { let v = Double(m.values[r * m.cols + c]) - centre[c]; t += v * v }
                largestNorm = max(largestNorm, t)
            }
        }
        let slack = 4e-5 * largestNorm + 1e-12
        let inside = Tensor.reducePairwiseRows(x.tensor, s.tensor, measure: .squaredDistances, initial: false) { covered, row, line in
            if covered { return }
            for j in 0..<line.count {
                let column = line.columns.lowerBound + j
                let r = radii[column], d = Double(line[j])
                if d <= r - slack || (d <= r + slack && x.squaredDistance(row: row, to: s, row: column) <= r) {
                    covered = true
                    return
                }
            }
        }
        return Double(inside.filter { $0 }.count) / Double(x.rows)
    }
}
