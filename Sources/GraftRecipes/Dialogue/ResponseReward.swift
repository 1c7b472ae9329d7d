import Foundation

/// A hand-made reward for a chatbot's answers, the reinforcement-learning route of the course
/// (after Li et al. 2016, "Deep reinforcement learning for dialogue generation", whose "ease of
/// answering" reward penalises dull responses): for a response y of n tokens,
///
///     r(y) = w_len · min(n, L) / L                       (longer answers, up to L tokens)
///          + w_info · (1/n) Σ_t s(y_t) / s_max            (informative words)
///          − w_rep · (1 − distinct(y) / n)                (no stuttering)
///          − w_dull · 1[y ∈ dull set]                     (not a stock answer)
///
/// where s(w) = −log p(w) is a word's surprisal under an add-one smoothed unigram model of the
/// training answers (s_max = the surprisal of an unseen word, so that term is in [0, 1]) and the
/// dull set holds the answers the model gives most often (`mostCommon`). An empty answer is dull
/// and earns −w_dull. Every term lies in [0, 1] before weighting.
public struct ResponseReward: Sendable {
    /// Weights of the length, information, repetition and dullness terms.
    public var lengthWeight: Double, informationWeight: Double, repetitionWeight: Double, dullWeight: Double
    /// L: lengths at or above it earn the full length term.
    public var lengthCap: Int
    /// s(w) for every token index of the vocabulary.
    public let surprisal: [Double]
    /// The surprisal of a word never seen in the answers: log(N + V).
    public let maxSurprisal: Double
    /// Responses penalised as dull.
    public var dull: Set<[Int]>

    /// A reward whose unigram model counts the tokens of `answers` (indices below `vocabulary`;
    /// others are ignored) with add-one smoothing.
    public init(answers: [[Int]], vocabulary: Int, lengthCap: Int = 10, dull: Set<[Int]> = [],
                lengthWeight: Double = 1, informationWeight: Double = 1, repetitionWeight: Double = 1, dullWeight: Double = 1) {
        precondition(vocabulary > 0 && lengthCap > 0, "ResponseReward needs a positive vocabulary and length cap")
        var counts = [Double](repeating: 0, count: vocabulary)
        var total = 0.0
        for answer in answers { for w in answer where (0..<vocabulary).contains(w) { counts[w] += 1; total += 1 } }
        let denominator = total + Double(vocabulary)
        surprisal = counts.map { -log(($0 + 1) / denominator) }
        maxSurprisal = log(denominator)
        self.lengthCap = lengthCap
        self.dull = dull
        self.lengthWeight = lengthWeight; self.informationWeight = informationWeight
        self.repetitionWeight = repetitionWeight; self.dullWeight = dullWeight
    }

    /// r(y) for one response (token indices without begin or end tokens).
    public func callAsFunction(_ response: [Int]) -> Double {
        if response.isEmpty { return -dullWeight }
        let n = Double(response.count)
        let length = Double(min(response.count, lengthCap)) / Double(lengthCap)
        let information = response.reduce(0.0) { $0 + (surprisal.indices.contains($1) ? surprisal[$1] : maxSurprisal) } / n / maxSurprisal
        let repetition = 1 - Double(Set(response).count) / n
        let isDull = dull.contains(response) ? 1.0 : 0.0
        return lengthWeight * length + informationWeight * information - repetitionWeight * repetition - dullWeight * isDull
    }

    /// The `count` most frequent responses of `responses` (ties: first seen first), the empty one included when it is among them.
    public static func mostCommon(_ responses: [[Int]], count: Int) -> Set<[Int]> {
        var counts: [[Int]: Int] = [:], order: [[Int]] = []
        for r in responses {
            if counts[r] == nil { order.append(r) }
            counts[r, default: 0] += 1
        }
        let ranked = order.enumerated().sorted { a, b in
            let ca = counts[a.element]!, cb = counts[b.element]!
            return ca != cb ? ca > cb : a.offset < b.offset
        }
        return Set(ranked.prefix(max(0, count)).map(\.element))
    }
}
