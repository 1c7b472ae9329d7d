/// Per-row reductions over all pairs of rows of two matrices, without holding the n × m matrix
/// of pairwise values: the metrics' nearest neighbours, Parzen windows, kernel sums and coverage.
extension Tensor {
    /// What `reducePairwiseRows` computes for each pair of rows.
    public enum PairwiseMeasure: Sendable, Equatable {
        /// ‖aᵢ - bⱼ‖², from the centred SGEMM expansion (≥ 0; rounding about 1e-7 of the centred
        /// squared norms: refine close calls exactly, or use `pairwiseSquaredDistances`).
        case squaredDistances
        /// ‖aᵢ - bⱼ‖² as `squaredDistances`, with the entries below 1/16 of their centred squared
        /// norms recomputed exactly in Float64 (as `pairwiseSquaredDistances` does): rows that lie
        /// far from the centre, such as two outliers near each other, keep their small distances.
        case refinedSquaredDistances
        /// scale · aᵢ · bⱼ.
        case dots(scale: Float)
    }

    /// Folds the pairwise values of the rows of `a` [n, d] and `b` [m, d] into one state per row
    /// of `a`: `update(&state, i, line)` sees row i's values for a block of columns (rows of `b`)
    /// in order of column blocks. Rows run in parallel; each row's blocks come in order, so the
    /// result does not depend on the thread count. Blocks of at most 1024 × 4096 values.
    public static func reducePairwiseRows<State>(_ a: Tensor, _ b: Tensor, measure: PairwiseMeasure, initial: State,
                                                 _ update: (inout State, Int, PairwiseLine) -> Void) -> [State] {
        guard a.rank == 2, b.rank == 2, a.shape[1] == b.shape[1] else {
            graftFatal(ShapeError(op: "reducePairwiseRows",
                                  "needs matrices [n, d] and [m, d], got \(shapeString(a.shape)) and \(shapeString(b.shape))"))
        }
        var states = [State](repeating: initial, count: a.shape[0])
        a.backend.reducePairwiseRows(a, b, measure: measure, states: &states, update)
        return states
    }
}

/// One row's pairwise values for a block of columns, read-only, valid during the `update` call
/// of `Tensor.reducePairwiseRows` that received it.
public struct PairwiseLine {
    /// The first value.
    @usableFromInline let base: UnsafePointer<Float>
    /// The columns (rows of the second matrix) this line covers; value `j` is column `columns.lowerBound + j`.
    public let columns: Range<Int>

    /// A line over `columns.count` values from `base`.
    @usableFromInline init(base: UnsafePointer<Float>, columns: Range<Int>) {
        self.base = base
        self.columns = columns
    }

    /// The number of values.
    @inlinable public var count: Int { columns.count }

    /// The value for column `columns.lowerBound + j`, 0 <= j < count.
    @inlinable public subscript(j: Int) -> Float { base[j] }
}
