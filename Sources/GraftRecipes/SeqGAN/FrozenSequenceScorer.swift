import Graft
import GraftNN

/// A frozen, scoring-only copy of a CNN sequence discriminator (`SequenceDiscriminator`, or the
/// TextGAN variant whose highway uses one linear map for gate and candidate), for scoring the
/// many sequences of SeqGAN's Monte-Carlo rollouts.
///
/// A convolution over embedded tokens is linear in the embeddings, so the output of the window
/// of width w at position p is Σ_k T_{w,k}[y_{p+k}] + b_w with the token tables
/// T_{w,k} = E W_{w,k}ᵀ [V, maps_w] (one GEMM per width when the scorer is made, V · Σ_w w·maps_w
/// floats): a window costs w row additions instead of a (w·E) × maps product. When sequences
/// share a prefix (the N rollouts of one prefix length), the windows inside the prefix, and the
/// prefix parts of the windows that reach into the sampled tokens, are added once per sentence
/// (`rolloutProbabilities`). Max-over-time pooling, the highway layer (one GEMM for all rows) and
/// the head then run as in the discriminator, in evaluation mode (no dropout). The weights are
/// copied: later training of the discriminator does not change the scorer. The arithmetic is
/// Graft's: `TokenWindowTables` (the gathered row sums) and `Tensor.highwayLogisticHead`.
public final class FrozenSequenceScorer {
    /// How the highway layer mixes the pooled features f.
    public enum Highway {
        /// τ = σ(W_T f + b_T), f̃ = τ ⊙ relu(W_H f + b_H) + (1 - τ) ⊙ f (the paper's, `SequenceDiscriminator`).
        case gated(gate: Linear, candidate: Linear)
        /// h = W f + b, τ = σ(h), f̃ = τ ⊙ relu(h) + (1 - τ) ⊙ f (TextGAN's SeqGAN discriminator).
        case shared(Linear)
    }

    /// The token tables and the pooling over them.
    public let tables: TokenWindowTables
    /// Tokens 0..<vocabulary.
    public var vocabulary: Int { tables.vocabulary }
    /// Window widths, in feature order.
    public var widths: [Int] { tables.widths }
    /// Feature maps per width.
    public var maps: [Int] { tables.maps }
    /// Pooled features (Σ maps).
    public var features: Int { tables.features }
    /// Highway weights, transposed: [features, outputs] (gate columns then candidate columns when
    /// gated), and biases [outputs].
    let highwayWeight: Tensor, highwayBias: Tensor
    /// The head's weight [features] and bias: logit = head · f̃ + bias.
    let headWeight: Tensor, headBias: Float

    /// A scorer from an embedding table [V, E], convolutions with weights [maps, 1, w, E] (stride
    /// 1, no padding, each spanning the whole embedding), the highway and a head whose logit
    /// `headWeight` [features] · f̃ + `headBias` gives D = σ(logit). A two-class head with softmax
    /// output (TextGAN) is the difference of its rows: weight w₁ - w₀, bias b₁ - b₀.
    public init(embedding: Tensor, convolutions: [Conv2d], highway: Highway, headWeight: Tensor, headBias: Float) {
        precondition(embedding.rank == 2, "FrozenSequenceScorer needs an embedding table [V, E], got \(embedding.shape)")
        precondition(!convolutions.isEmpty, "FrozenSequenceScorer needs at least one convolution")
        let e = embedding.shape[1]
        for (i, conv) in convolutions.enumerated() {
            let s = conv.weight.shape
            precondition(s.count == 4 && s[1] == 1 && s[3] == e && conv.stride == (1, 1) && conv.padding == (0, 0)
                         && conv.dilation == (1, 1),
                         "FrozenSequenceScorer: convolution \(i) must be [maps, 1, width, \(e)] with stride 1 and no padding, got \(s)")
        }
        tables = TokenWindowTables(embedding: embedding, convolutionWeights: convolutions.map(\.weight),
                                   biases: convolutions.map(\.bias))
        let f = tables.features
        let layers: [Linear]
        switch highway {
        case .gated(let gate, let candidate): layers = [gate, candidate]
        case .shared(let layer): layers = [layer]
        }
        for layer in layers {
            precondition(layer.weight.shape == [f, f], "FrozenSequenceScorer: the highway maps must be [\(f), \(f)], got \(layer.weight.shape)")
        }
        precondition(headWeight.count == f, "FrozenSequenceScorer: the head needs \(f) weights, got \(headWeight.count)")
        (highwayWeight, highwayBias) = noGrad {
            (Tensor.concat(layers.map { $0.weight.detach() }, axis: 0).transpose(0, 1).copy(),
             Tensor.concat(layers.map { $0.bias?.detach() ?? Tensor.zeros([f]) }, axis: 0))
        }
        self.headWeight = headWeight.detach().reshape([f]).copy()
        self.headBias = headBias
    }

    /// D(Y): the probability [B] that each token sequence [B, L] is real.
    public func probabilityReal(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2, "FrozenSequenceScorer needs token sequences [B, L], got \(tokens.shape)")
        return classify(tables.pooledFeatures(tokens))
    }

    /// D's probabilities [N·B] of the sequences whose first `given` tokens are those of
    /// `sentences` [B, L] and whose other L - given tokens are `completions` [N·B, L - given]:
    /// row r·B + i is sentences[i, 0..<given] followed by completions[r·B + i] (the layout of
    /// `MonteCarloRollout`). Equal to `probabilityReal` of the assembled sequences; the prefix
    /// windows are computed once per sentence.
    public func rolloutProbabilities(sentences: Tensor, given: Int, completions: Tensor) -> Tensor {
        precondition(sentences.rank == 2 && completions.rank == 2,
                     "FrozenSequenceScorer.rolloutProbabilities needs sentences [B, L] and completions [N·B, L - given], "
                     + "got \(sentences.shape) and \(completions.shape)")
        return classify(tables.pooledFeatures(sentences: sentences, given: given, completions: completions))
    }

    /// The highway and head on pooled features [rows, F]: D's probabilities [rows].
    func classify(_ pooled: Tensor) -> Tensor {
        pooled.highwayLogisticHead(highwayWeight: highwayWeight, highwayBias: highwayBias, headWeight: headWeight, headBias: headBias)
    }
}
