/// How zero-shot predictions are scored (Xian, Lampert, Schiele and Akata 2018, "Zero-shot
/// learning, a comprehensive evaluation of the good, the bad and the ugly", sec. 4.2): accuracy
/// is averaged per class so that frequent classes do not dominate, and in the generalized
/// setting (candidates = seen + unseen classes) the accuracies on seen-class test images S and
/// on unseen-class test images U are combined by their harmonic mean H = 2 S U / (S + U),
/// which is high only when both are.
public enum ZeroShotMetrics {
    /// The accuracy of each class of `classes` on the examples whose `truth` is that class, in
    /// `classes`' order (nil for a class with no examples); predictions and truth are class ids.
    public static func perClassAccuracy(predicted: [Int], truth: [Int], classes: [Int]) throws -> [Double?] {
        guard predicted.count == truth.count else {
            throw ZeroShotError.invalidData(what: "predictions", reason: "expected one per true label (\(truth.count)), got \(predicted.count)")
        }
        var correct = [Int: Int](), total = [Int: Int]()
        for (p, t) in zip(predicted, truth) {
            total[t, default: 0] += 1
            if p == t { correct[t, default: 0] += 1 }
        }
        return classes.map { c in total[c].map { Double(correct[c, default: 0]) / Double($0) } }
    }

    /// The mean over the classes of `classes` that have examples of their per-class accuracy, in
    /// [0, 1] (the "mean class accuracy"); 0 when none has examples.
    public static func meanClassAccuracy(predicted: [Int], truth: [Int], classes: [Int]) throws -> Double {
        let present = try perClassAccuracy(predicted: predicted, truth: truth, classes: classes).compactMap { $0 }
        return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }

    /// The harmonic mean H = 2 S U / (S + U) of the seen and unseen accuracies (0 when both are 0).
    public static func harmonicMean(seen: Double, unseen: Double) -> Double {
        seen + unseen > 0 ? 2 * seen * unseen / (seen + unseen) : 0
    }

    /// The mean class accuracy of guessing uniformly among `candidates` classes: 1 / candidates.
    public static func chance(candidates: Int) -> Double { candidates > 0 ? 1 / Double(candidates) : 0 }

    /// The confusion counts [truth][prediction] over `classes` (rows) and `predictedClasses`
    /// (columns); examples whose truth or prediction is in neither list are left out.
    public static func confusion(predicted: [Int], truth: [Int], classes: [Int], predictedClasses: [Int]) -> [[Int]] {
        var table = [[Int]](repeating: [Int](repeating: 0, count: predictedClasses.count), count: classes.count)
        for (p, t) in zip(predicted, truth) {
            if let r = classes.firstIndex(of: t), let c = predictedClasses.firstIndex(of: p) { table[r][c] += 1 }
        }
        return table
    }
}
