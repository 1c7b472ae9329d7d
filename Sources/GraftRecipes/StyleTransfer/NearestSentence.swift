import Foundation

/// The retrieval baseline of style transfer (as in Li, Jia, He and Liang 2018, "Delete, retrieve,
/// generate", whose RETRIEVEONLY system returns the closest sentence of the target style): the
/// answer for a query is the sentence of the target-style corpus nearest to it by TF-IDF cosine
/// similarity, w(t, d) = tf(t, d) · (ln(N / df(t)) + 1), vectors L2-normalised (Salton and Buckley 1988).
public struct NearestSentence<Token: Hashable> {
    /// The corpus searched.
    public let corpus: [[Token]]
    /// Inverted index: for each token, the (sentence, weight) pairs of the normalised vectors.
    let postings: [Token: [(Int, Double)]]
    /// ln(N / df(t)) + 1 for every token of the corpus.
    let idf: [Token: Double]

    /// An index of `corpus` (at least one sentence).
    public init(corpus: [[Token]]) {
        precondition(!corpus.isEmpty, "NearestSentence needs a corpus of at least one sentence")
        self.corpus = corpus
        var df: [Token: Int] = [:]
        for sentence in corpus { for t in Set(sentence) { df[t, default: 0] += 1 } }
        let n = Double(corpus.count)
        let idf = df.mapValues { log(n / Double($0)) + 1 }
        var postings: [Token: [(Int, Double)]] = [:]
        for (i, sentence) in corpus.enumerated() {
            let vector = Self.weights(sentence, idf: idf)
            for (t, w) in vector { postings[t, default: []].append((i, w)) }
        }
        self.idf = idf
        self.postings = postings
    }

    /// The normalised TF-IDF vector of `sentence` as (token, weight) pairs in the order of the
    /// tokens' first appearance (tokens unseen in the corpus weigh nothing). Every sum runs in
    /// that order, never in a dictionary's, so the scores and the ties between them are the same
    /// in every process (Swift seeds its hashing per process).
    static func weights(_ sentence: [Token], idf: [Token: Double]) -> [(Token, Double)] {
        var tf: [Token: Double] = [:]
        var order: [Token] = []
        for t in sentence {
            if tf[t] == nil { order.append(t) }
            tf[t, default: 0] += 1
        }
        let vector = order.compactMap { t in idf[t].map { (t, tf[t]! * $0) } }
        let norm = vector.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
        return norm > 0 ? vector.map { ($0.0, $0.1 / norm) } : []
    }

    /// The index of the corpus sentence with the highest cosine similarity to `query` (the first
    /// among ties; the first sentence when nothing is shared).
    public func nearestIndex(_ query: [Token]) -> Int {
        var scores: [Int: Double] = [:]
        for (t, q) in Self.weights(query, idf: idf) { for (i, w) in postings[t] ?? [] { scores[i, default: 0] += q * w } }
        var best = 0, bestScore = -1.0
        for (i, s) in scores where s > bestScore || (s == bestScore && i < best) { best = i; bestScore = s }
        return best
    }

    /// The nearest corpus sentence to `query`.
    public func nearest(_ query: [Token]) -> [Token] { corpus[nearestIndex(query)] }
}
