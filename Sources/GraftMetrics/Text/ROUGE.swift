import Foundation

/// Precision, recall and F1 of one ROUGE measure on one candidate-reference pair (or their
/// means over a corpus).
public struct ROUGEScore: Sendable, Equatable {
    /// Overlap / candidate size (0 for an empty candidate).
    public let precision: Double
    /// Overlap / reference size (0 for an empty reference).
    public let recall: Double
    /// 2PR / (P + R), 0 when P + R = 0.
    public let f1: Double

    /// A score from its parts.
    public init(precision: Double, recall: Double, f1: Double) {
        self.precision = precision; self.recall = recall; self.f1 = f1
    }

    /// P and R with their harmonic mean.
    init(precision: Double, recall: Double) {
        self.init(precision: precision, recall: recall, f1: precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
    }

    /// All zeros.
    public static let zero = ROUGEScore(precision: 0, recall: 0, f1: 0)
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of one pair, or their means over a corpus.
public struct ROUGEScores: Sendable, Equatable {
    /// Unigram overlap.
    public let rouge1: ROUGEScore
    /// Bigram overlap.
    public let rouge2: ROUGEScore
    /// Longest common subsequence.
    public let rougeL: ROUGEScore

    /// Scores from their parts.
    public init(rouge1: ROUGEScore, rouge2: ROUGEScore, rougeL: ROUGEScore) {
        self.rouge1 = rouge1; self.rouge2 = rouge2; self.rougeL = rougeL
    }
}

/// ROUGE (Lin 2004, "ROUGE: A package for automatic evaluation of summaries") over token
/// sequences of any hashable type, with the conventions of Google's `rouge-score` package, whose
/// values the tests reproduce (scripts/make_rouge_fixtures.py):
///
/// - ROUGE-N (section 2): with Count(g) an n-gram's occurrences, the clipped overlap
///   M = Σ_g min(Count_cand(g), Count_ref(g)); P = M / max(1, candidate n-grams),
///   R = M / max(1, reference n-grams), F1 = 2PR / (P + R) (0 when both are 0).
/// - ROUGE-L (section 3.1, sentence level): with LCS(X, Y) the length of the longest common
///   subsequence of reference X (length m) and candidate Y (length n), R = LCS / m,
///   P = LCS / n, F1 = 2PR / (P + R) (β = 1); an empty side gives 0.
/// - A corpus score is the mean of the per-pair scores (P, R and F1 averaged separately).
///
/// An empty candidate or reference scores 0 on every measure. `tokenize` is `rouge-score`'s
/// default tokenizer (no stemming): lower-case, every run of characters other than ASCII a-z
/// and 0-9 is a separator.
public enum ROUGE {
    /// ROUGE-N of `candidate` against `reference`; `n` must be at least 1.
    public static func n<T: Hashable>(candidate: [T], reference: [T], n: Int) throws -> ROUGEScore {
        guard n >= 1 else { throw MetricError("ROUGE-N: n must be at least 1, got \(n)") }
        let c = BLEU.ngramCounts(candidate, n), r = BLEU.ngramCounts(reference, n)
        let overlap = r.reduce(0) { $0 + min($1.value, c[$1.key] ?? 0) }
        let candidateTotal = max(0, candidate.count - n + 1), referenceTotal = max(0, reference.count - n + 1)
        return ROUGEScore(precision: Double(overlap) / Double(max(candidateTotal, 1)),
                          recall: Double(overlap) / Double(max(referenceTotal, 1)))
    }

    /// ROUGE-L (sentence-level LCS) of `candidate` against `reference`.
    public static func l<T: Hashable>(candidate: [T], reference: [T]) -> ROUGEScore {
        guard !candidate.isEmpty, !reference.isEmpty else { return .zero }
        let lcs = Double(lcsLength(candidate, reference))
        return ROUGEScore(precision: lcs / Double(candidate.count), recall: lcs / Double(reference.count))
    }

    /// ROUGE-1, ROUGE-2 and ROUGE-L of one pair.
    public static func scores<T: Hashable>(candidate: [T], reference: [T]) -> ROUGEScores {
        // n = 1 and 2 are valid orders, so these never throw.
        ROUGEScores(rouge1: (try? n(candidate: candidate, reference: reference, n: 1)) ?? .zero,
                    rouge2: (try? n(candidate: candidate, reference: reference, n: 2)) ?? .zero,
                    rougeL: l(candidate: candidate, reference: reference))
    }

    /// ROUGE-1, ROUGE-2 and ROUGE-L of two texts, tokenized by `tokenize`.
    public static func scores(candidate: String, reference: String) -> ROUGEScores {
        scores(candidate: tokenize(candidate), reference: tokenize(reference))
    }

    /// The means of the per-pair scores of `candidates` against `references` (one each, at
    /// least one pair).
    public static func corpus<T: Hashable>(candidates: [[T]], references: [[T]]) throws -> ROUGEScores {
        guard candidates.count == references.count else {
            throw MetricError("ROUGE: \(candidates.count) candidates but \(references.count) references (expected one per candidate)")
        }
        guard !candidates.isEmpty else { throw MetricError("ROUGE: no candidate-reference pairs to score") }
        let all = zip(candidates, references).map { scores(candidate: $0, reference: $1) }
        func mean(_ pick: (ROUGEScores) -> ROUGEScore) -> ROUGEScore {
            let k = Double(all.count)
            return ROUGEScore(precision: all.reduce(0) { $0 + pick($1).precision } / k, recall: all.reduce(0) { $0 + pick($1).recall } / k,
                              f1: all.reduce(0) { $0 + pick($1).f1 } / k)
        }
        return ROUGEScores(rouge1: mean(\.rouge1), rouge2: mean(\.rouge2), rougeL: mean(\.rougeL))
    }

    /// `rouge-score`'s default tokens of `text`: lower-cased (Unicode-aware, like Python's
    /// `str.lower`), then split at every run of characters outside ASCII a-z and 0-9; accented
    /// and other non-ASCII letters are separators too ("café" gives "caf").
    public static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = [], word = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                word.append(scalar)
            } else if !word.isEmpty {
                tokens.append(String(word)); word = String.UnicodeScalarView()
            }
        }
        if !word.isEmpty { tokens.append(String(word)) }
        return tokens
    }

    /// The length of the longest common subsequence of `a` and `b` (dynamic programming, two rows).
    static func lcsLength<T: Hashable>(_ a: [T], _ b: [T]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1), current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
