import Foundation
import Graft
import GraftData

/// The metrics on `.npy` files a user brings, as `graft eval` runs them: each function loads its
/// files (float32, float64, integer or uint8 elements, gzip or not), checks them (rank, matching
/// widths, finite values: errors name the file and the row) and returns a report. Metrics that
/// plan their memory take a `budget` (nil: `MemoryBudget.system()`), and every number of a report
/// is checked finite before it is returned (`EvalReport.requireFinite`).
public enum EvalFiles {
    /// Reads a `.npy` file as a Float tensor; a missing file is an error naming it.
    public static func load(_ path: String) throws -> Tensor {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MetricError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw MetricError("\(path): is a directory, expected a .npy file") }
        return try NPY.read(URL(fileURLWithPath: path))
    }

    /// Loads a feature matrix [rows, features].
    static func features(_ path: String, minRows: Int = 1) throws -> FeatureMatrix {
        try FeatureMatrix(load(path), name: path, minRows: minRows)
    }

    /// FID between the rows of two feature files.
    public static func fid(_ a: String, _ b: String, budget: MemoryBudget? = nil) throws -> EvalReport {
        let r = try FID.evaluate(features(a, minRows: 2), features(b, minRows: 2), budget: budget)
        return try EvalReport(metric: "fid", entries: [
            EvalEntry("fid", "FID", .number(r.fid)),
            EvalEntry("mean_distance_squared", "||mu_a - mu_b||^2", .number(r.meanDistanceSquared)),
            EvalEntry("trace_a", "tr(Sigma_a)", .number(r.traceA)),
            EvalEntry("trace_b", "tr(Sigma_b)", .number(r.traceB)),
            EvalEntry("trace_sqrt_product", "tr((Sigma_a Sigma_b)^1/2)", .number(r.traceSqrtProduct)),
            EvalEntry("features", "features", .integer(r.dimension), unit: "per row"),
        ]).requireFinite(inputs: [a, b])
    }

    /// KID between the rows of two feature files.
    public static func kid(_ a: String, _ b: String, subsets: Int = 100, subsetSize: Int? = nil, seed: UInt64 = 0,
                           budget: MemoryBudget? = nil) throws -> EvalReport {
        let r = try KID.evaluate(features(a, minRows: 2), features(b, minRows: 2), subsets: subsets, subsetSize: subsetSize, seed: seed,
                                 budget: budget)
        return try EvalReport(metric: "kid", entries: [
            EvalEntry("kid", "KID (mean MMD^2)", .number(r.mean)),
            EvalEntry("kid_std", "std over subsets", .number(r.std)),
            EvalEntry("subsets", "subsets", .integer(r.subsetValues.count)),
            EvalEntry("subset_size", "subset size", .integer(r.subsetSize), unit: "rows"),
            EvalEntry("seed", "seed", .integer(Int(truncatingIfNeeded: seed))),
            EvalEntry("subset_values", "subset values", .numbers(r.subsetValues), inText: false),
        ]).requireFinite(inputs: [a, b])
    }

    /// The Parzen-window log-likelihood of `test` under `samples`, sigma chosen on `validation`.
    /// Rows may be images ([n, h, w]): axes after the first are flattened.
    public static func parzen(samples: String, test: String, validation: String, sigmas: [Double] = Parzen.defaultSigmas,
                              budget: MemoryBudget? = nil) throws -> EvalReport {
        let r = try Parzen.evaluate(samples: FeatureMatrix(flattening: load(samples), name: samples),
                                    validation: FeatureMatrix(flattening: load(validation), name: validation),
                                    test: FeatureMatrix(flattening: load(test), name: test), sigmas: sigmas, budget: budget)
        return try EvalReport(metric: "parzen", entries: [
            EvalEntry("mean_log_likelihood", "test log-likelihood", .number(r.meanLogLikelihood), unit: "nats"),
            EvalEntry("standard_error", "standard error", .number(r.standardError), unit: "nats"),
            EvalEntry("sigma", "sigma (chosen on validation)", .number(r.sigma)),
            EvalEntry("sigmas", "sigmas tried", .numbers(r.validationCurve.map(\.sigma))),
            EvalEntry("validation_log_likelihoods", "validation log-likelihoods", .numbers(r.validationCurve.map(\.meanLogLikelihood)), unit: "nats"),
        ]).requireFinite(inputs: [samples, validation, test])
    }

    /// The classifier (Inception-form) score of class probabilities, or of logits.
    public static func classifierScore(_ path: String, splits: Int = 10, logits: Bool = false) throws -> EvalReport {
        let m = try features(path)
        let p = logits ? ClassifierScore.softmax(m) : try ClassifierScore.validatedProbabilities(m)
        let r = try ClassifierScore.evaluate(probabilities: p, splits: splits)
        return try EvalReport(metric: "is", entries: [
            EvalEntry("score", "classifier score", .number(r.score)),
            EvalEntry("std", "std over splits", .number(r.std)),
            EvalEntry("splits", "splits", .integer(r.splitScores.count)),
            EvalEntry("mean_confidence", "mean confidence max p(y|x)", .number(r.meanConfidence)),
            EvalEntry("mean_conditional_entropy", "mean H(p(y|x))", .number(r.meanConditionalEntropy), unit: "nats"),
            EvalEntry("marginal_entropy", "H(p(y))", .number(r.marginalEntropy), unit: "nats"),
            EvalEntry("classes_covered", "classes covered", .integer(r.classesCovered), unit: "of \(r.classes)"),
            EvalEntry("classes", "classes", .integer(r.classes), inText: false),
            EvalEntry("split_scores", "split scores", .numbers(r.splitScores), inText: false),
        ]).requireFinite(inputs: [path])
    }

    /// Improved precision and recall of generated features against real ones.
    public static func precisionRecall(real: String, fake: String, k: Int = 3, budget: MemoryBudget? = nil) throws -> EvalReport {
        let r = try PrecisionRecall.evaluate(real: features(real), fake: features(fake), k: k, budget: budget)
        return try EvalReport(metric: "precision_recall", entries: [
            EvalEntry("precision", "precision", .number(r.precision)),
            EvalEntry("recall", "recall", .number(r.recall)),
            EvalEntry("k", "k", .integer(r.k)),
        ]).requireFinite(inputs: [real, fake])
    }

    /// Nearest training samples of generated ones, in pixel L2 and (for `maxShift` > 0) in the
    /// shift-tolerant distance, compared with the test set's when one is given.
    public static func memorization(generated: String, training: String, test: String? = nil, maxShift: Int = 2) throws -> EvalReport {
        let g = try load(generated)
        let layout = maxShift > 0 ? try ImageLayout.infer(shape: g.shape, name: generated) : nil
        let r = try Memorization.evaluate(generated: FeatureMatrix(flattening: g, name: generated),
                                          training: FeatureMatrix(flattening: load(training), name: training),
                                          test: test.map { try FeatureMatrix(flattening: load($0), name: $0) },
                                          layout: layout, maxShift: maxShift)
        var entries = [EvalEntry("max_shift", "largest shift", .integer(r.maxShift), unit: "pixels")]
        func add(_ m: NearestTrainingMatches, _ prefix: String, _ title: String) {
            entries.append(EvalEntry("\(prefix)_median_distance", "\(title): median nearest-training distance", .number(m.medianDistance)))
            entries.append(EvalEntry("\(prefix)_min_distance", "\(title): smallest nearest-training distance", .number(m.distances.min() ?? .nan)))
            if let t = m.testMedianDistance, let f = m.fractionCloserThanTestMedian {
                entries.append(EvalEntry("\(prefix)_test_median_distance", "\(title): median test-to-training distance", .number(t)))
                entries.append(EvalEntry("\(prefix)_fraction_closer_than_test", "\(title): fraction closer than that", .number(f)))
            }
            entries.append(EvalEntry("\(prefix)_nearest_index", "", .integers(m.indices), inText: false))
            entries.append(EvalEntry("\(prefix)_nearest_distance", "", .numbers(m.distances), inText: false))
        }
        add(r.pixel, "pixel", "pixel L2")
        if let s = r.shifted {
            add(s, "shifted", "shift-tolerant")
            entries.append(EvalEntry("shifted_dx", "", .integers(s.shifts.map(\.dx)), inText: false))
            entries.append(EvalEntry("shifted_dy", "", .integers(s.shifts.map(\.dy)), inText: false))
        }
        return try EvalReport(metric: "memorization", entries: entries).requireFinite(inputs: [generated, training] + (test.map { [$0] } ?? []))
    }
}
