import Foundation
import Graft

/// The classifier score of a set of samples and the two halves it combines.
public struct ClassifierScoreResult: Sendable, Equatable {
    /// The mean over splits of exp(E_x[KL(p(y|x) || p(y))]), p(y) being each split's marginal.
    public let score: Double
    /// The standard deviation of the split scores (divisor: the number of splits, as `numpy.std`).
    public let std: Double
    /// The score of each split, in order.
    public let splitScores: [Double]
    /// Quality: the mean over samples of max_y p(y|x).
    public let meanConfidence: Double
    /// Quality: the mean entropy of p(y|x) over samples, in nats (low when samples are confidently classified).
    public let meanConditionalEntropy: Double
    /// Diversity: the entropy of the marginal p(y) over all samples, in nats (log K when all K classes are equally frequent).
    public let marginalEntropy: Double
    /// Diversity: how many classes are the most probable class of at least one sample.
    public let classesCovered: Int
    /// The number of classes K.
    public let classes: Int
}

/// The Inception score (Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
/// section 4: exp(E_x KL(p(y|x) || p(y)))) computed from any classifier's class probabilities,
/// over `splits` consecutive splits as in the authors' code (split i holds rows
/// i n / splits ..< (i + 1) n / splits), with 0 log 0 = 0. Over one split the score equals
/// exp(H(p(y)) - E_x H(p(y|x))): the result also reports those two halves (confident samples,
/// covered classes) separately, as the course does. Sums are Float64.
public enum ClassifierScore {
    /// The score of the rows of `probabilities` ([n, K]: non-negative rows that sum to 1 within
    /// 1e-3). Needs n >= splits.
    public static func evaluate(probabilities: Tensor, splits: Int = 10) throws -> ClassifierScoreResult {
        try evaluate(probabilities: validatedProbabilities(FeatureMatrix(probabilities, name: "probabilities")), splits: splits)
    }

    /// The score of the softmax of the rows of `logits` ([n, K]).
    public static func evaluate(logits: Tensor, splits: Int = 10) throws -> ClassifierScoreResult {
        try evaluate(probabilities: softmax(FeatureMatrix(logits, name: "logits")), splits: splits)
    }

    /// Each row of validated probabilities, as Float64, checked to be a distribution.
    static func validatedProbabilities(_ m: FeatureMatrix) throws -> (rows: Int, classes: Int, p: [Double]) {
        let p = m.values.map(Double.init)
        for r in 0..<m.rows {
            var sum = 0.0
            for c in 0..<m.cols {
                let v = p[r * m.cols + c]
                guard v >= 0 else {
                    throw MetricError("\(m.name): row \(r) has \(v) at column \(c); probabilities must not be negative "
                                      + "(for logits use --logits or ClassifierScore.evaluate(logits:))")
                }
                sum += v
            }
            guard abs(sum - 1) <= 1e-3 else {
                throw MetricError("\(m.name): row \(r) sums to \(sum); class probabilities must sum to 1 "
                                  + "(for logits use --logits or ClassifierScore.evaluate(logits:))")
            }
        }
        return (m.rows, m.cols, p)
    }

    /// The softmax of each row, in Float64.
    static func softmax(_ m: FeatureMatrix) -> (rows: Int, classes: Int, p: [Double]) {
        var p = m.values.map(Double.init)
        for r in 0..<m.rows {
            let row = r * m.cols..<(r + 1) * m.cols
            let top = p[row].max()!
            var sum = 0.0
            for i in row { p[i] = exp(p[i] - top); sum += p[i] }
            for i in row { p[i] /= sum }
        }
        return (m.rows, m.cols, p)
    }

    /// The score and its halves for a validated probability matrix.
    static func evaluate(probabilities q: (rows: Int, classes: Int, p: [Double]), splits: Int) throws -> ClassifierScoreResult {
        let (n, k, p) = q
        guard splits >= 1 && splits <= n else {
            throw MetricError("classifier score: the number of splits must be between 1 and the \(n) rows, got \(splits)")
        }
        func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log(y) }
        var scores = [Double]()
        for s in 0..<splits {
            let rows = (s * n / splits)..<((s + 1) * n / splits)
            var marginal = [Double](repeating: 0, count: k)
            for r in rows { for c in 0..<k { marginal[c] += p[r * k + c] } }
            for c in 0..<k { marginal[c] /= Double(rows.count) }
            var kl = 0.0
            for r in rows {
                for c in 0..<k { kl += xlogy(p[r * k + c], p[r * k + c]) - xlogy(p[r * k + c], marginal[c]) }
            }
            scores.append(exp(kl / Double(rows.count)))
        }
        let mean = scores.reduce(0, +) / Double(splits)
        let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(splits)

        var marginal = [Double](repeating: 0, count: k)
        var confidence = 0.0, conditional = 0.0
        var covered = Set<Int>()
        for r in 0..<n {
            var best = 0
            for c in 0..<k {
                let v = p[r * k + c]
                marginal[c] += v
                conditional -= xlogy(v, v)
                if v > p[r * k + best] { best = c }
            }
            confidence += p[r * k + best]
            covered.insert(best)
        }
        let marginalEntropy = marginal.reduce(0) { $0 - xlogy($1 / Double(n), $1 / Double(n)) }
        return ClassifierScoreResult(score: mean, std: variance.squareRoot(), splitScores: scores,
                                     meanConfidence: confidence / Double(n), meanConditionalEntropy: conditional / Double(n),
                                     marginalEntropy: marginalEntropy, classesCovered: covered.count, classes: k)
    }
}
