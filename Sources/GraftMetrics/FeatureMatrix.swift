import Graft

/// Validated rows of features, the form every metric works on: `rows` x `cols` Float32 values in
/// row-major order, all finite, with a name for error messages (a file path or a role such as
/// "real features").
struct FeatureMatrix {
    /// The number of rows (samples).
    let rows: Int
    /// The number of features per row.
    let cols: Int
    /// The values, row-major.
    var values: [Float]
    /// What the rows are, for error messages.
    let name: String

    /// Wraps values that are already checked (internal use).
    init(rows: Int, cols: Int, values: [Float], name: String) {
        self.rows = rows
        self.cols = cols
        self.values = values
        self.name = name
    }

    /// Checks that `tensor` is [n, d] with n >= `minRows`, d >= 1 and every value finite.
    init(_ tensor: Tensor, name: String, minRows: Int = 1) throws {
        guard tensor.rank == 2 else {
            throw MetricError("\(name): expected a matrix [rows, features], got shape \(tensor.shape)")
        }
        try self.init(flattening: tensor, name: name, minRows: minRows)
    }

    /// Like `init(_:name:minRows:)` but accepts any rank >= 2 and flattens all axes after the
    /// first (images [n, h, w] become rows of h * w values).
    init(flattening tensor: Tensor, name: String, minRows: Int = 1) throws {
        guard tensor.rank >= 2 else {
            throw MetricError("\(name): expected one row per sample (rank 2 or more), got shape \(tensor.shape)")
        }
        let n = tensor.shape[0]
        let d = tensor.shape.dropFirst().reduce(1, *)
        guard d >= 1 else { throw MetricError("\(name): rows have no values (shape \(tensor.shape))") }
        guard n >= minRows else {
            throw MetricError("\(name): has \(n) row\(n == 1 ? "" : "s"), this metric needs at least \(minRows)")
        }
        let values = tensor.scalars
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw MetricError("\(name): row \(bad / d) has \(values[bad]) at column \(bad % d); every value must be finite")
        }
        self.init(rows: n, cols: d, values: values, name: name)
    }

    /// Checks that `other` has as many features per row as this matrix.
    func requireSameWidth(as other: FeatureMatrix) throws {
        guard cols == other.cols else {
            throw MetricError("\(name) has \(cols) features per row, \(other.name) has \(other.cols)")
        }
    }

    /// The values as a [rows, cols] tensor (a copy), for Graft's pairwise ops.
    var tensor: Tensor { Tensor(values, shape: [rows, cols]) }

    /// The rows at `indices`, in that order.
    func selecting(_ indices: [Int]) -> FeatureMatrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * cols)
        for i in indices { out += values[(i * cols)..<((i + 1) * cols)] }
        return FeatureMatrix(rows: indices.count, cols: cols, values: out, name: name)
    }

    /// The mean of each column, summed in Float64.
    func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: cols)
        for r in 0..<rows {
            for c in 0..<cols { sums[c] += Double(values[r * cols + c]) }
        }
        return rows > 0 ? sums.map { $0 / Double(rows) } : sums
    }

    /// The dot product of row `i` and row `j` of `other`, in Float64 (exact products, rounded sums).
    func dot(row i: Int, with other: FeatureMatrix, row j: Int) -> Double {
        var s = 0.0
        let (a, b) = (i * cols, j * other.cols)
        for c in 0..<cols { s += Double(values[a + c]) * Double(other.values[b + c]) }
        return s
    }

    /// The exact squared Euclidean distance between row `i` and row `j` of `other`, in Float64.
    func squaredDistance(row i: Int, to other: FeatureMatrix, row j: Int) -> Double {
        var s = 0.0
        let (a, b) = (i * cols, j * other.cols)
        for c in 0..<cols {
            let t = Double(values[a + c]) - Double(other.values[b + c])
            s += t * t
        }
        return s
    }
}
