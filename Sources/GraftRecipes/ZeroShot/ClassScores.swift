import Graft

/// Scoring rows (images, predicted embeddings) against candidate classes, and the argmax that
/// turns scores into predictions: the look-up step every zero-shot method ends with.
public enum ClassScores {
    /// How a predicted embedding is compared with a class embedding.
    public enum Similarity: String, Sendable, CaseIterable {
        /// The dot product t · v.
        case dot
        /// The cosine t · v / (|t| |v|).
        case cosine
    }

    /// Scores [N, K] of the rows of `embeddings` [N, E] against the rows of `candidates` [K, E].
    public static func similarity(_ embeddings: Tensor, _ candidates: Tensor, _ kind: Similarity) throws -> Tensor {
        guard embeddings.rank == 2, candidates.rank == 2, embeddings.shape[1] == candidates.shape[1], candidates.shape[0] > 0 else {
            throw ZeroShotError.invalidData(what: "embeddings and candidate class embeddings",
                                            reason: "expected [N, E] and [K, E] with K > 0, got \(embeddings.shape) and \(candidates.shape)")
        }
        return noGrad {
            switch kind {
            case .dot:
                return Tensor.matmul(embeddings, candidates, transposeB: true)
            case .cosine:
                let a = embeddings / maximum(embeddings.norm(axes: [1], keepDims: true), Tensor(1e-12))
                let b = candidates / maximum(candidates.norm(axes: [1], keepDims: true), Tensor(1e-12))
                return Tensor.matmul(a, b, transposeB: true)
            }
        }
    }

    /// For each row of `scores` [N, K], the column with the largest score (the first on a tie).
    public static func argmax(_ scores: Tensor) -> [Int] {
        guard scores.rank == 2, scores.shape[1] > 0 else { return [] }
        // Graft's argmax keeps the first of equal maxima, as the loop it replaced did.
        return scores.argmax(axis: 1).scalars.map { Int($0) }
    }
}
