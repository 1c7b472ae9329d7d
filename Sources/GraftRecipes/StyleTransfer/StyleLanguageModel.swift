import Foundation
import Graft
import GraftData
import GraftNN

/// A language model of one style, for fluency: `TokenGenerator` (an LSTM language model) trained
/// on variable-length sentences, each followed by the end token and padded, the loss counting
/// real positions only. Its perplexity exp(-(1/N) Σ log p(w_t | w_<t)) over held-out or
/// transferred sentences measures how fluent they are in that style, and its expected negative
/// log-likelihood of soft tokens is the "language model as discriminator" loss of Yang, Hu, Dyer,
/// Xing and Berg-Kirkpatrick (2018, "Unsupervised text style transfer using language models as
/// discriminators", eq. 5: -Σ_t ỹ_t · log p_LM(· | ỹ_<t), ỹ fed back as expected embeddings).
extension TokenGenerator {
    /// Sentences [[Int]] as LM targets: each followed by `endIndex`, padded with `padIndex`; the
    /// tokens [B, T] and the mask [B, T] of real positions (end token included).
    public static func sentenceTargets(_ sentences: [[Int]], endIndex: Int, padIndex: Int) -> (tokens: Tensor, mask: Tensor) {
        let padded = padBatch(sentences.map { $0 + [endIndex] }, padIndex: padIndex)
        return (padded.tokens, padded.mask)
    }

    /// The mean negative log-likelihood per real position of `tokens` [B, T] under `mask` [B, T].
    public func maskedNLL(_ tokens: Tensor, mask: Tensor) -> Tensor {
        -(logProbabilities(of: tokens) * mask).sum() / max(1, mask.sum().item)
    }

    /// The expected negative log-likelihood of soft tokens `distributions` [B, L, V] under the
    /// model, -Σ_{b,t} m_bt Σ_v ỹ_btv log p(v | ỹ_b<t) / Σ m, where the inputs are the start token
    /// then ỹ_b<t E (expected embeddings) and `mask` [B, L] picks the positions that count.
    /// Differentiable in the distributions.
    public func softNLL(_ distributions: Tensor, mask: Tensor) -> Tensor {
        precondition(distributions.rank == 3 && distributions.shape[2] == vocabulary && mask.shape == Array(distributions.shape.prefix(2)),
                     "TokenGenerator.softNLL needs distributions [B, L, \(vocabulary)] and a mask [B, L], "
                     + "got \(distributions.shape) and \(mask.shape)")
        let (b, l) = (distributions.shape[0], distributions.shape[1])
        let start = embedding(Tensor.full([b, 1], Float(startToken)))
        let inputs = l == 1 ? start
            : Tensor.concat([start, matmul(distributions.slice(axis: 1, start: 0, end: l - 1), embedding.weight)], axis: 1)
        let gates = cell.inputGates(inputs)
        var state = initialState(batch: b)
        var hs: [Tensor] = []
        for k in 0..<l {
            state = cell.step(inputGates: gates.select(axis: 1, index: k), state: state)
            hs.append(state.h)
        }
        let logp = output(Tensor.stack(hs, axis: 1)).logSoftmax(axis: -1)
        let perPosition = (distributions * logp).sum(axis: 2)
        return -(perPosition * mask).sum() / max(1, mask.sum().item)
    }

    /// One Adam (or other) step of masked maximum likelihood on `sentences`; returns the loss.
    @discardableResult
    public func fitStep(_ sentences: [[Int]], endIndex: Int, padIndex: Int, optimizer: Optimizer, clipNorm: Float = 5) -> Float {
        let (tokens, mask) = Self.sentenceTargets(sentences, endIndex: endIndex, padIndex: padIndex)
        optimizer.zeroGrad()
        let loss = maskedNLL(tokens, mask: mask)
        loss.backward()
        GradientClipping.clipNorm(parameters(), maxNorm: clipNorm)
        optimizer.step()
        return loss.item
    }

    /// The perplexity of `sentences` (each followed by the end token): exp of the mean negative
    /// log-likelihood per token over all of them, in evaluation mode and without gradients.
    /// Empty input gives NaN.
    public func perplexity(_ sentences: [[Int]], endIndex: Int, padIndex: Int, batch: Int = 128) -> Double {
        guard !sentences.isEmpty else { return .nan }
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        var total = 0.0, count = 0.0
        noGrad {
            for start in stride(from: 0, to: sentences.count, by: batch) {
                let chunk = Array(sentences[start..<min(start + batch, sentences.count)])
                let (tokens, mask) = Self.sentenceTargets(chunk, endIndex: endIndex, padIndex: padIndex)
                total -= Double((logProbabilities(of: tokens) * mask).sum().item)
                count += Double(mask.sum().item)
            }
        }
        return exp(total / count)
    }
}
