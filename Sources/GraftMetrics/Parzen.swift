import Foundation
import Graft

/// The mean validation log-likelihood of one bandwidth.
public struct ParzenPoint: Sendable, Equatable {
    /// The bandwidth.
    public let sigma: Double
    /// The mean log-likelihood of the validation rows, in nats.
    public let meanLogLikelihood: Double
}

/// A Parzen-window estimate of a generator's log-likelihood on test data.
public struct ParzenResult: Sendable, Equatable {
    /// The bandwidth chosen on the validation set.
    public let sigma: Double
    /// The mean log-likelihood of the test rows, in nats.
    public let meanLogLikelihood: Double
    /// Its standard error: the standard deviation of the test log-likelihoods (divisor n) over
    /// sqrt(n), as in Goodfellow et al.'s code.
    public let standardError: Double
    /// The mean validation log-likelihood of every bandwidth tried, in the order given.
    public let validationCurve: [ParzenPoint]
}

/// Parzen-window log-likelihood with the protocol of Goodfellow et al. ("Generative Adversarial
/// Nets", NeurIPS 2014, section 5, after Breuleux et al. 2011): an isotropic Gaussian kernel of
/// bandwidth sigma on each generated sample mu_i,
///
///     log p(x) = log (1/N) sum_i N(x; mu_i, sigma^2 I)
///              = logsumexp_i(-||x - mu_i||^2 / (2 sigma^2)) - log N - d log(sigma sqrt(2 pi)),
///
/// sigma chosen from a grid to maximise the mean log-likelihood of a validation set, then the
/// mean over the test set reported with its standard error. Squared distances come in SGEMM
/// blocks (`Tensor.reducePairwiseRows`, centred on the samples' coordinate-wise median, close
/// pairs recomputed exactly, so that an outlier among the samples or the points cannot take the
/// other rows' bits); the log-sum-exp runs online over the blocks in Float64, all bandwidths from
/// one pass over the distances. Terms below e^-50 of the running maximum are skipped: they cannot
/// change a Float64 sum. Distances past Float32's range (values near 1e19) read +inf, which adds
/// nothing; a row whose every distance does so is summed again on rows scaled by a power of two
/// (`RangeScale`), so that only those rows are scaled. A log-likelihood that is still not finite
/// (a bandwidth so small that the exponent overflows Float64) is an error naming the row.
public enum Parzen {
    /// The grid of Goodfellow et al.'s `parzen_ll.py` for MNIST in [0, 1]: 10 values from 0.1 to
    /// 1, evenly spaced in log scale (`numpy.logspace(-1, 0, 10)`).
    public static let defaultSigmas: [Double] = logSpaced(from: -1, to: 0, count: 10)

    /// `count` values 10^a, evenly spaced in a from `from` to `to` (`numpy.logspace`).
    public static func logSpaced(from: Double, to: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [pow(10, from)] : [] }
        return (0..<count).map { pow(10, from + (to - from) * Double($0) / Double(count - 1)) }
    }

    /// Chooses sigma on `validation` and reports the test log-likelihood. All are [rows, d]
    /// with the same d (images may be passed as [n, h, w]: axes after the first are flattened).
    /// Memory beyond the inputs must fit `budget` (nil: `MemoryBudget.system()`).
    public static func evaluate(samples: Tensor, validation: Tensor, test: Tensor, sigmas: [Double] = defaultSigmas,
                                budget: MemoryBudget? = nil) throws -> ParzenResult {
        try evaluate(samples: FeatureMatrix(flattening: samples, name: "samples"),
                     validation: FeatureMatrix(flattening: validation, name: "validation set"),
                     test: FeatureMatrix(flattening: test, name: "test set"), sigmas: sigmas, budget: budget)
    }

    /// The log-likelihood of each row of `x` under the Parzen window of bandwidth `sigma` on
    /// the rows of `samples`.
    public static func logLikelihoods(_ x: Tensor, samples: Tensor, sigma: Double) throws -> [Double] {
        let q = try FeatureMatrix(flattening: x, name: "points")
        let mu = try FeatureMatrix(flattening: samples, name: "samples")
        try q.requireSameWidth(as: mu)
        try check([sigma])
        return try logLikelihoods(q, mu, sigmas: [sigma])[0]
    }

    /// The peak memory of one pass of `queries` rows against `samples` rows of `d` values: the
    /// tensor and centred copies of both (Float32) with room for a scaled copy, a block of
    /// distances, the running states of every bandwidth and the column medians' scratch.
    static func plan(samples: FeatureMatrix, queries: [FeatureMatrix], sigmas: Int) -> MemoryPlan {
        let n = Double(queries.map(\.rows).max() ?? 0), m = Double(samples.rows), d = Double(samples.cols)
        let names = queries.map { "\($0.name) [\($0.rows), \($0.cols)]" }.joined(separator: " and ")
        return MemoryPlan(work: "Parzen windows of \(samples.name) [\(samples.rows), \(samples.cols)] on \(names)",
                          bytes: 4 * 3 * (n + m) * d + MemoryPlan.pairwiseBlock + n * (16 * Double(sigmas) + 128) + 4 * 32 * m,
                          instead: "use fewer samples, fewer rows or fewer features")
    }

    /// The protocol on validated matrices.
    static func evaluate(samples: FeatureMatrix, validation: FeatureMatrix, test: FeatureMatrix, sigmas: [Double],
                         budget: MemoryBudget? = nil) throws -> ParzenResult {
        try validation.requireSameWidth(as: samples)
        try test.requireSameWidth(as: samples)
        try check(sigmas)
        try plan(samples: samples, queries: [validation, test], sigmas: sigmas.count).check(budget ?? MemoryBudget.system())
        let curves = try logLikelihoods(validation, samples, sigmas: sigmas)
        let curve = zip(sigmas, curves).map { ParzenPoint(sigma: $0, meanLogLikelihood: mean($1)) }
        var best = 0
        for i in curve.indices where curve[i].meanLogLikelihood > curve[best].meanLogLikelihood { best = i }
        let ll = try logLikelihoods(test, samples, sigmas: [sigmas[best]])[0]
        let m = mean(ll)
        let variance = ll.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(ll.count)
        let result = ParzenResult(sigma: sigmas[best], meanLogLikelihood: m,
                                  standardError: (variance / Double(ll.count)).squareRoot(), validationCurve: curve)
        for (what, v) in [("mean log-likelihood", m), ("standard error", result.standardError)] where !v.isFinite {
            throw MetricError("Parzen: the \(what) of \(test.name) under \(samples.name) is \(v), beyond Float64's range")
        }
        return result
    }

    /// Refuses an empty grid and bandwidths that are not positive and finite.
    static func check(_ sigmas: [Double]) throws {
        guard !sigmas.isEmpty else { throw MetricError("Parzen: the list of bandwidths is empty") }
        if let bad = sigmas.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw MetricError("Parzen: every bandwidth must be positive and finite, got \(bad)")
        }
        if let bad = sigmas.first(where: { !(1 / (2 * $0 * $0)).isFinite }) {
            throw MetricError("Parzen: the bandwidth \(bad) is too small: 1 / (2 sigma^2) overflows Float64, so use 1e-150 or more")
        }
    }

    /// The mean of `values`.
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// For each sigma, the log-likelihood of each row of `x` (`windowSums`). Rows of `x` whose
    /// every distance read +inf are summed again scaled by r = `RangeScale` of a bound on their
    /// squared distances, (2 max |value|)^2 d, with exponents 1 / (2 sigma^2 r^2).
    static func logLikelihoods(_ x: FeatureMatrix, _ mu: FeatureMatrix, sigmas: [Double]) throws -> [[Double]] {
        let scales = sigmas.map { 1 / (2 * $0 * $0) }
        var states = windowSums(x.tensor, mu.tensor, scales: scales)
        // A maximum of -inf: every distance read +inf, or the exponent overflowed (reported below).
        let far = states.indices.filter { states[$0].maxima[0] == -.infinity }
        if !far.isEmpty {
            let q = x.selecting(far)
            let largest = max(q.largestMagnitude, mu.largestMagnitude)
            let r = RangeScale.factor(forSquared: 4 * largest * largest * Double(x.cols))
            let again = windowSums(q.scaled(by: r).tensor, mu.scaled(by: r).tensor, scales: scales.map { $0 / (r * r) })
            for (i, row) in far.enumerated() { states[row] = again[i] }
        }
        let d = Double(x.cols), count = Double(mu.rows)
        return try sigmas.enumerated().map { k, sigma in
            let normaliser = log(count) + d * log(sigma * (2 * Double.pi).squareRoot())
            let ll = states.map { $0.maxima[k] + log($0.sums[k]) - normaliser }
            if let row = ll.firstIndex(where: { !$0.isFinite }) {
                throw MetricError("\(x.name): the log-likelihood of row \(row) under \(mu.name) with sigma \(sigma) is not a finite "
                                  + "number (its exponent -||x - mu||^2 / (2 sigma^2) passes Float64's range), so use a larger sigma")
            }
            return ll
        }
    }

    /// For each row of `x` and each exponent scale c = 1 / (2 sigma^2): one pass over the distance
    /// blocks, keeping a running maximum exponent -c ||x - mu||^2 and the sum of exp(exponent -
    /// maximum), rescaled whenever the maximum grows. A maximum of -inf means every distance of
    /// the row read +inf.
    static func windowSums(_ x: Tensor, _ mu: Tensor, scales: [Double]) -> [(maxima: [Double], sums: [Double])] {
        let s = scales.count
        let start = (maxima: [Double](repeating: -.infinity, count: s), sums: [Double](repeating: 0, count: s))
        return Tensor.reducePairwiseRows(x, mu, measure: .refinedSquaredDistances, initial: start) { state, _, line in
            let width = line.count
            var nearest = Float.infinity
            for j in 0..<width { nearest = min(nearest, line[j]) }
            for (k, c) in scales.enumerated() {
                let top = -Double(nearest) * c
                if top > state.maxima[k] {
                    state.sums[k] *= exp(state.maxima[k] - top)
                    state.maxima[k] = top
                }
                let m = state.maxima[k]
                // Exponents below m - 50 add less than e^-50 of the sum's largest term.
                let cutoff = Float((50 - m) / c)
                var acc = 0.0
                for j in 0..<width where line[j] <= cutoff {
                    acc += exp(-Double(line[j]) * c - m)
                }
                state.sums[k] += acc
            }
        }
    }
}
