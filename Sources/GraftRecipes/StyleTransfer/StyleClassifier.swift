import Graft
import GraftData
import GraftNN

/// A CNN sentence classifier between two styles (Kim 2014, "Convolutional neural networks for
/// sentence classification", section 2: c_i = relu(w · x_{i:i+h-1} + b) for each window width h,
/// max-over-time pooling ĉ = max_i c_i, dropout, then a linear output), here SeqGAN's
/// `SequenceDiscriminator` with a small configuration: its one logit is log P(style 1 | x) /
/// P(style 0 | x). Sentences are padded (or cut) to a fixed `length`; it reads token lists or
/// soft tokens [B, length, V] (padded the same way, see `SoftSequence.padded`), so a transfer
/// model can be trained to fool it through the Gumbel-softmax.
public final class StyleClassifier: Module {
    /// The convolutional network.
    public let network: SequenceDiscriminator
    /// Every input is padded or cut to this many tokens.
    public let length: Int
    /// The padding index.
    public let padIndex: Int

    /// A classifier over `vocabulary` tokens read `length` at a time, with `maps` feature maps per
    /// window width in `widths` (each at most `length`).
    public init(vocabulary: Int, length: Int, padIndex: Int, embedding: Int = 32, widths: [Int] = [1, 2, 3],
                maps: Int = 32, dropout: Float = 0.5, generator: RandomGenerator) {
        precondition(length >= (widths.max() ?? 1),
                     "StyleClassifier: windows up to \(widths.max() ?? 0) need a length of at least that, got \(length)")
        self.length = length
        self.padIndex = padIndex
        network = SequenceDiscriminator(vocabulary: vocabulary, embedding: embedding, widths: widths,
                                        maps: [Int](repeating: maps, count: widths.count), dropout: dropout, generator: generator)
        super.init()
    }

    /// `sentences` padded or cut to `length` tokens [B, length].
    public func batch(_ sentences: [[Int]]) -> Tensor {
        let rows = sentences.map { Array($0.prefix(length)) + [Int](repeating: padIndex, count: max(0, length - $0.count)) }
        return Tensor(rows.flatMap { $0.map(Float.init) }, shape: [sentences.count, length])
    }

    /// The logits [B] of style 1 for token lists.
    public func logits(_ sentences: [[Int]]) -> Tensor { network(batch(sentences)) }

    /// The logits [B] of style 1 for soft tokens [B, L, V] (L ≤ `length`; padded with the pad
    /// token's one-hot vector to `length`).
    public func logits(distributions: Tensor) -> Tensor {
        let (b, l, v) = (distributions.shape[0], distributions.shape[1], distributions.shape[2])
        precondition(l <= length, "StyleClassifier reads at most \(length) soft tokens, got \(l)")
        guard l < length else { return network(distributions: distributions) }
        var pad = [Float](repeating: 0, count: v)
        pad[padIndex] = 1
        let padding = Tensor(pad, shape: [1, 1, v]) * Tensor.ones([b, length - l, 1])
        return network(distributions: Tensor.concat([distributions, padding], axis: 1))
    }

    /// The binary cross-entropy of the logits against the styles (0 or 1) of `sentences`.
    public func loss(_ sentences: [[Int]], styles: [Int]) -> Tensor {
        precondition(sentences.count == styles.count, "StyleClassifier.loss: \(sentences.count) sentences for \(styles.count) styles")
        return Loss.binaryCrossEntropyWithLogits(logits(sentences), Tensor(styles.map(Float.init), shape: [styles.count]))
    }

    /// One optimisation step on `sentences` with their styles; returns the loss.
    @discardableResult
    public func trainStep(_ sentences: [[Int]], styles: [Int], optimizer: Optimizer) -> Float {
        optimizer.zeroGrad()
        let l = loss(sentences, styles: styles)
        l.backward()
        optimizer.step()
        return l.item
    }

    /// P(style 1 | x) for each sentence, in evaluation mode and without gradients.
    public func probabilities(_ sentences: [[Int]], batch: Int = 256) -> [Float] {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad {
            stride(from: 0, to: sentences.count, by: batch).flatMap { start in
                logits(Array(sentences[start..<min(start + batch, sentences.count)])).sigmoid().scalars
            }
        }
    }

    /// The share of `sentences` classified as `style` (P(style 1) > 0.5 means style 1).
    public func share(_ sentences: [[Int]], classifiedAs style: Int) -> Double {
        guard !sentences.isEmpty else { return 0 }
        let hits = probabilities(sentences).filter { ($0 > 0.5 ? 1 : 0) == style }.count
        return Double(hits) / Double(sentences.count)
    }
}
