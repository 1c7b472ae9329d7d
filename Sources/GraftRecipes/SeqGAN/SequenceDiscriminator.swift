import Graft
import GraftNN

/// SeqGAN's CNN discriminator (Yu et al. 2017, appendix; after Kim 2014 and Zhang and LeCun
/// 2015): each token is embedded, convolutions of several window widths span the whole
/// embedding, max-over-time pooling keeps each feature map's strongest response, a highway
/// layer (Srivastava et al. 2015) mixes them, τ = σ(W_T f + b_T), f̃ = τ ⊙ relu(W_H f + b_H) +
/// (1 - τ) ⊙ f, and dropout then a linear layer give one logit, D(Y) = σ(logit) the
/// probability that Y is real.
///
/// It reads token sequences [B, L] or, for the continuous relaxations (softmax outputs,
/// Gumbel-softmax, WGAN critics), distributions over the vocabulary [B, L, V], embedded as
/// their expectation under the embedding table (a one-hot row gives the token's vector).
public final class SequenceDiscriminator: Module {
    /// The paper's window widths for sequences of length 20.
    public static let paperWidths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20]
    /// The paper's feature maps per width (1,720 in all).
    public static let paperMaps = [100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160]

    /// Token embeddings [V, E].
    public let embedding: Embedding
    /// One convolution per window width, each [maps, 1, width, E].
    public let convs: [Conv2d]
    /// Window widths, in the order of `convs`.
    public let widths: [Int]
    /// The highway layer's transform gate and its candidate.
    public let gate: Linear, candidate: Linear
    /// Dropout before the output (the paper keeps 75%).
    public let dropout: Dropout
    /// Features to one logit.
    public let head: Linear

    /// A discriminator over `vocabulary` tokens with `embedding`-sized vectors and `maps[k]`
    /// feature maps of width `widths[k]`; windows wider than the sequences it sees are not allowed.
    public init(vocabulary: Int, embedding e: Int = 64, widths: [Int] = SequenceDiscriminator.paperWidths,
                maps: [Int] = SequenceDiscriminator.paperMaps, dropout p: Float = 0.25, generator: RandomGenerator) {
        precondition(widths.count == maps.count && !widths.isEmpty, "SequenceDiscriminator needs one map count per window width")
        embedding = Embedding(vocabulary, e, generator: generator)
        convs = zip(maps, widths).map { Conv2d(1, $0, kernelSize: ($1, e), generator: generator) }
        self.widths = widths
        let features = maps.reduce(0, +)
        gate = Linear(features, features, generator: generator)
        candidate = Linear(features, features, generator: generator)
        dropout = Dropout(p, generator: generator)
        head = Linear(features, 1, generator: generator)
        super.init()
    }

    /// The logit [B] that each token sequence [B, L] is real.
    public func callAsFunction(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2, "SequenceDiscriminator needs token sequences [B, L], got \(tokens.shape)")
        return classify(embedded: embedding(tokens))
    }

    /// The logit [B] for distributions over the vocabulary [B, L, V] (soft or one-hot tokens).
    public func callAsFunction(distributions: Tensor) -> Tensor {
        precondition(distributions.rank == 3 && distributions.shape[2] == embedding.weight.shape[0],
                     "SequenceDiscriminator needs distributions [B, L, \(embedding.weight.shape[0])], got \(distributions.shape)")
        let (b, l, v) = (distributions.shape[0], distributions.shape[1], distributions.shape[2])
        let embedded = matmul(distributions.reshape([b * l, v]), embedding.weight).reshape([b, l, -1])
        return classify(embedded: embedded)
    }

    /// The logit [B] from embedded sequences [B, L, E].
    public func classify(embedded: Tensor) -> Tensor {
        let l = embedded.shape[1]
        guard let widest = widths.max(), widest <= l else {
            preconditionFailure("SequenceDiscriminator: a window of width \(widths.max() ?? 0) does not fit sequences of length \(l)")
        }
        let x = embedded.unsqueeze(axis: 1)                                          // [B, 1, L, E]
        let pooled = Tensor.concat(convs.map { $0(x).relu().squeeze(axis: 3).max(axis: 2) }, axis: 1)
        let t = gate(pooled).sigmoid()
        let f = t * candidate(pooled).relu() + (1 - t) * pooled
        return head(dropout(f)).reshape([-1])
    }

    /// A frozen copy for scoring many token sequences fast (Monte-Carlo rollouts): the same
    /// probabilities as `probabilityReal` from per-token convolution tables (see
    /// `FrozenSequenceScorer`), with this discriminator's current weights.
    public func rolloutScorer() -> FrozenSequenceScorer {
        noGrad {
            FrozenSequenceScorer(embedding: embedding.weight, convolutions: convs, highway: .gated(gate: gate, candidate: candidate),
                                 headWeight: head.weight.reshape([-1]), headBias: head.bias?.scalars[0] ?? 0)
        }
    }

    /// D(Y): the probability [B] that each sequence is real, in evaluation mode and without gradients.
    public func probabilityReal(_ tokens: Tensor) -> Tensor {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad { self(tokens).sigmoid() }
    }
}
