import Graft
import GraftData
import GraftNN

/// The reconstructor of Wang and Lee (2018, section 2.1): a seq2seq model that reads the
/// generator's summary y (K distributions over the vocabulary, one-hot forward) and is trained to
/// write the document x back, by teacher forcing:
///
///     L_rec = −(1/Σ_b (|x_b| + 1)) Σ_b Σ_t log R(x_{b,t} | x_{b,<t}, y_b),
///
/// the mean token cross-entropy over each document and its end token. Its encoder reads y E (the
/// distributions times the source embedding table), so ∂L_rec reaches the summaries and,
/// through the straight-through estimator, the generator. With a copy gate R is a
/// pointer-generator (`PointerGenerator`) that may also copy summary words into the document,
/// the copy term reading y itself.
public struct SummaryReconstructor {
    /// The summary → document model.
    public let model: Seq2Seq
    /// The pointer-generator gate, or nil for a decoder that writes from the vocabulary alone.
    public let copyGate: Linear?

    /// A reconstructor around `model`, copying summary words when `copyGate` is given.
    public init(model: Seq2Seq, copyGate: Linear? = nil) {
        self.model = model
        self.copyGate = copyGate
    }

    /// Teacher-forced log-probabilities [B, T, V] of `documents` (tokens without begin or end)
    /// from `summaries` [B, K, V] (row b's first `lengths[b]` positions real, all K when nil), and
    /// the targets [B, T] (pad past each document's end).
    public func logits(summaries: Tensor, documents: [[Int]], lengths: [Int]? = nil) -> (logits: Tensor, targets: Tensor) {
        precondition(summaries.rank == 3 && summaries.shape[0] == documents.count && summaries.shape[2] == model.config.sourceVocabulary,
                     "SummaryReconstructor needs summaries [\(documents.count), K, \(model.config.sourceVocabulary)], got \(summaries.shape)")
        let (b, k, v) = (summaries.shape[0], summaries.shape[1], summaries.shape[2])
        let embedded = matmul(summaries.reshape([b * k, v]), model.sourceEmbedding.weight).reshape([b, k, -1])
        let memory = model.encode(embedded: embedded, lengths: lengths ?? [Int](repeating: k, count: b))
        let c = model.config
        let input = padBatch(documents.map { [c.beginIndex] + $0 }, padIndex: c.padIndex).tokens
        let output = padBatch(documents.map { $0 + [c.endIndex] }, padIndex: c.padIndex).tokens
        return (PointerGenerator.teacherForced(model, gate: copyGate, memory: memory, sources: summaries, targetInput: input), output)
    }

    /// L_rec of `documents` given `summaries`.
    public func loss(summaries: Tensor, documents: [[Int]], lengths: [Int]? = nil) -> Tensor {
        let (logits, targets) = logits(summaries: summaries, documents: documents, lengths: lengths)
        return Loss.crossEntropy(logits, targets, ignoreIndex: model.config.padIndex)
    }

    /// The share of document tokens (end tokens included) whose teacher-forced most probable
    /// prediction is right, in evaluation mode without gradients; `positions` limits it to the
    /// first that many positions of each document.
    public func tokenAccuracy(summaries: Tensor, documents: [[Int]], lengths: [Int]? = nil, positions: Int? = nil) -> Double {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        return noGrad {
            let (logits, targets) = logits(summaries: summaries, documents: documents, lengths: lengths)
            let predicted = logits.argmax(axis: 2).scalars, wanted = targets.scalars
            let t = targets.shape[1]
            var right = 0, total = 0
            for (row, document) in documents.enumerated() {
                for j in 0..<min(document.count + 1, positions ?? Int.max) {
                    total += 1
                    if predicted[row * t + j] == wanted[row * t + j] { right += 1 }
                }
            }
            return Double(right) / Double(max(total, 1))
        }
    }
}
