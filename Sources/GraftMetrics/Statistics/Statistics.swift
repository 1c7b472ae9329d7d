import Graft

/// Summary statistics of repeated measurements (seeds, folds) and of classifier outputs: the
/// numbers every lab reports as mean ± std and accuracy.
public enum Statistics {
    /// The arithmetic mean of `values` (0 for none).
    public static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// The sample standard deviation of `values` (divisor n - 1; 0 for fewer than two), as
    /// NumPy's `std(ddof=1)` and the papers' "± s" over seeds.
    public static func sampleStd(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// The population standard deviation of `values` (divisor n; 0 for none).
    public static func populationStd(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }

    /// The mean and the sample standard deviation of `values`.
    public static func meanStd(_ values: [Double]) -> (mean: Double, std: Double) { (mean(values), sampleStd(values)) }

    /// The fraction of positions where `predicted` equals `labels`, in [0, 1] (0 for none).
    /// Throws when the two lists differ in length.
    public static func accuracy(predicted: [Int], labels: [Int]) throws -> Double {
        guard predicted.count == labels.count else {
            throw ShapeError(op: "accuracy", "\(predicted.count) predictions for \(labels.count) labels")
        }
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// The fraction of rows of `logits` [N, C] whose largest entry is at the row's label
    /// (`labels` [N] holds whole numbers as Float), in [0, 1].
    public static func accuracy(logits: Tensor, labels: Tensor) throws -> Double {
        guard logits.shape.count == 2, labels.count == logits.shape[0] else {
            throw ShapeError(op: "accuracy", "logits \(logits.shape) do not fit labels \(labels.shape)")
        }
        let predicted = logits.argmax(axis: 1).scalars.map { Int($0) }
        return try accuracy(predicted: predicted, labels: labels.scalars.map { Int($0) })
    }
}
