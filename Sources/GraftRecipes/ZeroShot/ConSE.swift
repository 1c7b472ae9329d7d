import Graft

/// Convex combination of semantic embeddings, ConSE (Norouzi, Mikolov, Bengio, Singer, Shlens,
/// Frome, Corrado and Dean 2014, "Zero-shot learning by convex combination of semantic
/// embeddings", eq. 1): a classifier of the seen classes needs no further training. An image's
/// embedding is the average of the embeddings s(y) of its T most probable seen classes,
/// weighted by their probabilities,
///
///     f(x) = (1/Z) Σ_{t=1..T} p(ŷ_t | x) s(ŷ_t),   Z = Σ_{t=1..T} p(ŷ_t | x),
///
/// and the prediction is the candidate class whose embedding has the largest cosine with f(x).
public enum ConSE {
    /// f(x) [N, E] for the seen-class probabilities `probabilities` [N, S] and the seen classes'
    /// embeddings `seenEmbeddings` [S, E], over the `top` most probable classes (ties broken
    /// towards the lower index).
    public static func embed(probabilities: Tensor, seenEmbeddings: Tensor, top: Int) throws -> Tensor {
        guard probabilities.rank == 2, seenEmbeddings.rank == 2, probabilities.shape[1] == seenEmbeddings.shape[0],
              probabilities.shape[1] > 0 else {
            throw ZeroShotError.invalidData(what: "ConSE inputs",
                                            reason: "expected probabilities [N, S] and seen embeddings [S, E] with S > 0, "
                                                    + "got \(probabilities.shape) and \(seenEmbeddings.shape)")
        }
        let s = probabilities.shape[1], e = seenEmbeddings.shape[1], n = probabilities.shape[0]
        guard top >= 1, top <= s else {
            throw ZeroShotError.invalidSetting(name: "top", reason: "expected 1...\(s) (the number of seen classes), got \(top)")
        }
        let emb = seenEmbeddings.scalars
        var out = [Float](repeating: 0, count: n * e)
        let p = probabilities.scalars
        do {
            for r in 0..<n {
                let row = Array(p[(r * s)..<((r + 1) * s)])
                if let bad = row.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                    throw ZeroShotError.invalidData(what: "probabilities",
                                                    reason: "row \(r), class \(bad) is \(row[bad]), expected a probability ≥ 0")
                }
                let best = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.prefix(top)
                let z = best.reduce(Float(0)) { $0 + row[$1] }
                guard z > 0 else { throw ZeroShotError.invalidData(what: "probabilities", reason: "row \(r): the top \(top) probabilities sum to 0") }
                for c in best {
                    let w = row[c] / z
                    for k in 0..<e { out[r * e + k] += w * emb[c * e + k] }
                }
            }
        }
        return Tensor(out, shape: [n, e])
    }

    /// The candidate (row of `candidates` [K, E]) whose embedding has the largest cosine with
    /// f(x), for each row of `probabilities`.
    public static func predict(probabilities: Tensor, seenEmbeddings: Tensor, candidates: Tensor, top: Int) throws -> [Int] {
        let f = try embed(probabilities: probabilities, seenEmbeddings: seenEmbeddings, top: top)
        return ClassScores.argmax(try ClassScores.similarity(f, candidates, .cosine))
    }
}
