import Foundation

/// How sentence-level BLEU avoids a zero score when some n-gram order has no match (Chen and
/// Cherry 2014, "A systematic comparison of smoothing techniques for sentence-level BLEU").
public enum BLEUSmoothing: Sendable, Equatable {
    /// No smoothing: any order without a match makes the score 0.
    case none
    /// Chen and Cherry's method 1: an order with no match gets precision ε / total instead of 0
    /// (NLTK's `SmoothingFunction().method1`, ε = 0.1 by default).
    case epsilon(Double)
    /// Add-one smoothing (Lin and Och 2004; Chen and Cherry's method 2, NLTK's `method2`): every
    /// order n ≥ 2 gets precision (matches + 1) / (total + 1); unigrams are left as they are.
    case addOne

    /// Method 1 with NLTK's ε = 0.1, the smoothing of Texygen's self-BLEU.
    public static let method1 = BLEUSmoothing.epsilon(0.1)
}

/// What a candidate shorter than n contributes to order n's total of candidate n-grams.
public enum BLEUShortCandidates: Sendable, Equatable {
    /// One n-gram (NLTK's `corpus_bleu` and `sentence_bleu`): no precision is ever 0/0, but a
    /// corpus holding sentences shorter than the maximum order scores below 1 even when perfect.
    case countOne
    /// No n-gram (Papineni et al.; sacreBLEU): a perfect corpus scores 1. An order without any
    /// candidate n-gram in the whole corpus is left out of the geometric mean.
    case countZero
}

/// A BLEU score and its parts.
public struct BLEUScore: Sendable, Equatable {
    /// BLEU in [0, 1]: brevity penalty × the geometric mean of the (smoothed) precisions.
    public let score: Double
    /// Clipped n-gram matches for n = 1...maxOrder, summed over the corpus.
    public let matches: [Int]
    /// Candidate n-gram counts for n = 1...maxOrder, summed over the corpus (each sentence
    /// counting at least 1, see `BLEU`).
    public let totals: [Int]
    /// The modified precisions matches / totals, before smoothing.
    public let precisions: [Double]
    /// min(1, exp(1 - r / c)), 0 for an empty corpus of candidates.
    public let brevityPenalty: Double
    /// c: the candidates' total length.
    public let candidateLength: Int
    /// r: the sum over candidates of the reference length closest to each candidate's.
    public let referenceLength: Int
}

/// BLEU (Papineni et al. 2002, "BLEU: a method for automatic evaluation of machine translation")
/// over token sequences of any hashable type.
///
/// For each candidate and order n, an n-gram's count is clipped to its largest count in any one
/// reference; clipped matches and candidate n-gram counts are summed over the corpus, and
/// p_n = matches_n / totals_n. With c the candidates' total length and r the sum of the reference
/// lengths closest to each candidate's (ties to the shorter), BP = 1 if c > r, else exp(1 - r/c);
/// BLEU-N = BP · exp((1/N) Σ_n log p_n). BLEU-2 ... BLEU-5 are `maxOrder` 2 ... 5.
///
/// Conventions shared with NLTK's `corpus_bleu` (nltk.translate.bleu_score), whose values the tests
/// reproduce: by default (`.countOne`) a candidate shorter than n contributes a total of 1 (not 0)
/// for order n, so no precision is ever 0/0; no unigram match at all gives 0 whatever the
/// smoothing; without smoothing, any order without a match gives 0. Machine-translation scores
/// that should reach 1 for perfect output on short sentences use `.countZero`.
public enum BLEU {
    /// Corpus BLEU of `candidates` against their reference lists (at least one reference each).
    public static func corpus<T: Hashable>(candidates: [[T]], references: [[[T]]], maxOrder: Int = 4,
                                           smoothing: BLEUSmoothing = .none, shortCandidates: BLEUShortCandidates = .countOne) throws -> BLEUScore {
        guard maxOrder >= 1 else { throw MetricError("BLEU: maxOrder must be at least 1, got \(maxOrder)") }
        guard candidates.count == references.count else {
            throw MetricError("BLEU: \(candidates.count) candidates but \(references.count) reference lists (expected one list per candidate)")
        }
        if let i = references.firstIndex(where: { $0.isEmpty }) { throw MetricError("BLEU: candidate \(i) has no reference") }
        if case .epsilon(let e) = smoothing, !(e > 0 && e.isFinite) { throw MetricError("BLEU: the smoothing epsilon must be positive, got \(e)") }
        var matches = [Int](repeating: 0, count: maxOrder), totals = [Int](repeating: 0, count: maxOrder)
        var c = 0, r = 0
        for (candidate, refs) in zip(candidates, references) {
            for n in 1...maxOrder {
                let counts = ngramCounts(candidate, n)
                var maxRef: [[T]: Int] = [:]
                for ref in refs { for (gram, k) in ngramCounts(ref, n) where k > maxRef[gram, default: 0] { maxRef[gram] = k } }
                matches[n - 1] += counts.reduce(0) { $0 + min($1.value, maxRef[$1.key] ?? 0) }
                let total = counts.values.reduce(0, +)
                totals[n - 1] += shortCandidates == .countOne ? max(1, total) : total
            }
            c += candidate.count
            r += refs.map(\.count).min { (abs($0 - candidate.count), $0) < (abs($1 - candidate.count), $1) }!
        }
        return combine(matches: matches, totals: totals, candidateLength: c, referenceLength: r, smoothing: smoothing)
    }

    /// The score from summed clipped matches and candidate n-gram totals per order and the lengths c and r.
    static func combine(matches: [Int], totals: [Int], candidateLength c: Int, referenceLength r: Int, smoothing: BLEUSmoothing) -> BLEUScore {
        let maxOrder = matches.count
        let bp = c > r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
        let precisions = (0..<maxOrder).map { totals[$0] == 0 ? 0 : Double(matches[$0]) / Double(totals[$0]) }
        // Orders with candidate n-grams (all of them with `.countOne`).
        let orders = (0..<maxOrder).filter { totals[$0] > 0 }
        var score = 0.0
        if matches[0] > 0 {
            let smoothed = orders.map { i -> Double in
                switch smoothing {
                case .none: return precisions[i]
                case .epsilon(let e): return matches[i] == 0 ? e / Double(totals[i]) : precisions[i]
                case .addOne: return i == 0 ? precisions[i] : Double(matches[i] + 1) / Double(totals[i] + 1)
                }
            }
            if smoothed.allSatisfy({ $0 > 0 }) {
                score = bp * exp(smoothed.reduce(0) { $0 + log($1) } / Double(smoothed.count))
            }
        }
        return BLEUScore(score: score, matches: matches, totals: totals, precisions: precisions, brevityPenalty: bp,
                         candidateLength: c, referenceLength: r)
    }

    /// Corpus BLEU with one reference per candidate.
    public static func corpus<T: Hashable>(candidates: [[T]], references: [[T]], maxOrder: Int = 4,
                                           smoothing: BLEUSmoothing = .none, shortCandidates: BLEUShortCandidates = .countOne) throws -> BLEUScore {
        try corpus(candidates: candidates, references: references.map { [$0] }, maxOrder: maxOrder, smoothing: smoothing,
                   shortCandidates: shortCandidates)
    }

    /// Sentence BLEU: the corpus BLEU of one candidate, smoothed (method 1 by default) so that a
    /// short sentence missing some higher-order match does not score 0.
    public static func sentence<T: Hashable>(candidate: [T], references: [[T]], maxOrder: Int = 4,
                                             smoothing: BLEUSmoothing = .method1) throws -> Double {
        try corpus(candidates: [candidate], references: [references], maxOrder: maxOrder, smoothing: smoothing).score
    }

    /// Self-BLEU (Zhu et al. 2018, "Texygen"): the mean over samples of the sentence BLEU of each
    /// sample against all the others as references; high values mean samples that repeat each other
    /// (low diversity). Needs at least two samples.
    public static func selfBLEU<T: Hashable>(_ samples: [[T]], maxOrder: Int = 4, smoothing: BLEUSmoothing = .method1) throws -> Double {
        guard samples.count >= 2 else { throw MetricError("self-BLEU needs at least 2 samples, got \(samples.count)") }
        var total = 0.0
        for i in samples.indices {
            var others = samples
            others.remove(at: i)
            total += try sentence(candidate: samples[i], references: others, maxOrder: maxOrder, smoothing: smoothing)
        }
        return total / Double(samples.count)
    }

    /// How often each n-gram occurs in `tokens`.
    static func ngramCounts<T: Hashable>(_ tokens: [T], _ n: Int) -> [[T]: Int] {
        var counts: [[T]: Int] = [:]
        guard tokens.count >= n else { return counts }
        for i in 0...(tokens.count - n) { counts[Array(tokens[i..<(i + n)]), default: 0] += 1 }
        return counts
    }
}
