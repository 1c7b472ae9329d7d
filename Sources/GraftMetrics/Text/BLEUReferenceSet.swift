import Foundation

/// One set of references shared by every candidate, as when generated samples are scored against
/// a corpus of real sentences (SeqGAN's and LeakGAN's BLEU-2..5, PG-BLEU's reward). The largest
/// count of each n-gram over the references and their lengths are computed once, so scoring a
/// candidate costs its own n-grams only, not (references × length); the scores equal
/// `BLEU.corpus` with the whole set as every candidate's reference list.
public struct BLEUReferenceSet<T: Hashable>: Sendable where T: Sendable {
    /// n-gram → its largest count in any one reference, for n = 1...maxOrder.
    let maxCounts: [[[T]: Int]]
    /// The distinct reference lengths, ascending.
    let lengths: [Int]
    /// The largest n-gram order this set scores.
    public let maxOrder: Int

    /// The set of `references` (at least one), for orders up to `maxOrder`.
    public init(_ references: [[T]], maxOrder: Int = 5) throws {
        guard !references.isEmpty else { throw MetricError("BLEU reference set: no references") }
        guard maxOrder >= 1 else { throw MetricError("BLEU: maxOrder must be at least 1, got \(maxOrder)") }
        self.maxOrder = maxOrder
        maxCounts = (1...maxOrder).map { n in
            var best: [[T]: Int] = [:]
            for ref in references { for (gram, k) in BLEU.ngramCounts(ref, n) where k > best[gram, default: 0] { best[gram] = k } }
            return best
        }
        lengths = Array(Set(references.map(\.count))).sorted()
    }

    /// Corpus BLEU-`order` (at most `maxOrder`) of `candidates`, each against the whole set.
    public func corpus(_ candidates: [[T]], order: Int = 4, smoothing: BLEUSmoothing = .none,
                       shortCandidates: BLEUShortCandidates = .countOne) throws -> BLEUScore {
        guard order >= 1 && order <= maxOrder else { throw MetricError("BLEU reference set: order \(order) is outside 1...\(maxOrder)") }
        if case .epsilon(let e) = smoothing, !(e > 0 && e.isFinite) { throw MetricError("BLEU: the smoothing epsilon must be positive, got \(e)") }
        var matches = [Int](repeating: 0, count: order), totals = [Int](repeating: 0, count: order)
        var c = 0, r = 0
        for candidate in candidates {
            for n in 1...order {
                let counts = BLEU.ngramCounts(candidate, n)
                matches[n - 1] += counts.reduce(0) { $0 + min($1.value, maxCounts[n - 1][$1.key] ?? 0) }
                let total = counts.values.reduce(0, +)
                totals[n - 1] += shortCandidates == .countOne ? max(1, total) : total
            }
            c += candidate.count
            r += closestLength(to: candidate.count)
        }
        return BLEU.combine(matches: matches, totals: totals, candidateLength: c, referenceLength: r, smoothing: smoothing)
    }

    /// Sentence BLEU-`order` of one candidate against the set, smoothed like `BLEU.sentence`.
    public func sentence(_ candidate: [T], order: Int = 4, smoothing: BLEUSmoothing = .method1) throws -> Double {
        try corpus([candidate], order: order, smoothing: smoothing).score
    }

    /// The reference length closest to `length`, the shorter on a tie.
    func closestLength(to length: Int) -> Int {
        lengths.min { (abs($0 - length), $0) < (abs($1 - length), $1) }!
    }
}
