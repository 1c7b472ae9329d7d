import Graft

/// The k nearest rows of a reference set for each query row.
public struct NeighbourResult: Sendable, Equatable {
    /// The number of neighbours per query.
    public let k: Int
    /// For query i, `indices[i]` are the rows of the reference set nearest to it, nearest first
    /// (ties go to the lower row).
    public let indices: [[Int]]
    /// The Euclidean distances to those rows, in the same order, computed exactly in Float64.
    public let distances: [[Double]]
}

/// Exact k-nearest-neighbour search in Euclidean distance, by brute force over SGEMM blocks of
/// squared distances (see `Tensor.reducePairwiseRows`): candidates are chosen from the SGEMM distances and
/// their distances are then recomputed exactly in Float64 and re-sorted. The same code serves
/// pixel rows (memorization checks) and feature rows (feature-space nearest neighbours,
/// precision and recall).
public enum NearestNeighbours {
    /// The `k` nearest rows of `references` ([m, d]) to each row of `queries` ([n, d]).
    public static func search(queries: Tensor, references: Tensor, k: Int = 1) throws -> NeighbourResult {
        let q = try FeatureMatrix(queries, name: "queries")
        let r = try FeatureMatrix(references, name: "references")
        try q.requireSameWidth(as: r)
        guard k >= 1 && k <= r.rows else {
            throw MetricError("k must be between 1 and the \(r.rows) reference rows, got \(k)")
        }
        return exactSearch(q, r, k: k)
    }

    /// The k nearest reference rows of each query, re-ranked on exact Float64 distances. A few
    /// spare candidates are kept so that rounding in the SGEMM distances cannot drop a true
    /// neighbour that lies within rounding of the k-th.
    static func exactSearch(_ q: FeatureMatrix, _ r: FeatureMatrix, k: Int) -> NeighbourResult {
        let pool = min(r.rows, k + 3)
        let (candidates, _) = candidates(q, r, k: pool)
        var indices = [[Int]](), distances = [[Double]]()
        indices.reserveCapacity(q.rows)
        distances.reserveCapacity(q.rows)
        for i in 0..<q.rows {
            var row = (0..<pool).map { slot -> (Double, Int) in
                let j = candidates[i * pool + slot]
                return (q.squaredDistance(row: i, to: r, row: j), j)
            }
            row.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            indices.append(row.prefix(k).map(\.1))
            distances.append(row.prefix(k).map { $0.0.squareRoot() })
        }
        return NeighbourResult(k: k, indices: indices, distances: distances)
    }

    /// For each query, the `k` reference rows with the smallest SGEMM squared distances (flat,
    /// `k` per query, nearest first) and those squared distances. Needs `k <= r.rows`.
    static func candidates(_ q: FeatureMatrix, _ r: FeatureMatrix, k: Int) -> (indices: [Int], squared: [Float]) {
        let start = (best: [Float](repeating: .infinity, count: k), index: [Int](repeating: 0, count: k))
        let lists = Tensor.reducePairwiseRows(q.tensor, r.tensor, measure: .squaredDistances, initial: start) { list, _, line in
            for j in 0..<line.count where line[j] < list.best[k - 1] {
                // Insert, keeping the list sorted; equal values keep the earlier row.
                var s = k - 1
                while s > 0 && list.best[s - 1] > line[j] {
                    list.best[s] = list.best[s - 1]
                    list.index[s] = list.index[s - 1]
                    s -= 1
                }
                list.best[s] = line[j]
                list.index[s] = line.columns.lowerBound + j
            }
        }
        return (lists.flatMap(\.index), lists.flatMap(\.best))
    }
}
