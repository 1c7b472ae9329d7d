import Graft
import GraftNN
import GraftRecipes

/// The SeqGAN generator of the reference benchmark (TextGAN-PyTorch's synthetic-oracle
/// configuration): embedding E, one-layer LSTM H, linear to the vocabulary V.
public final class BenchGenerator: Module {
    /// Token embeddings (index 0 is padding).
    public let embedding: Embedding
    /// The recurrent layer.
    public let lstm: LSTM
    /// Hidden state to vocabulary logits.
    public let output: Linear
    let vocabulary: Int

    /// A generator over `vocabulary` tokens.
    public init(vocabulary: Int, embedding e: Int, hidden: Int, generator: RandomGenerator) {
        self.vocabulary = vocabulary
        embedding = Embedding(vocabulary, e, paddingIndex: 0, generator: generator)
        lstm = LSTM(inputSize: e, hiddenSize: hidden, generator: generator)
        output = Linear(hidden, vocabulary, generator: generator)
        super.init()
    }

    /// Logits [B*T, V] for inputs [B, T], and the final state.
    public func callAsFunction(_ tokens: Tensor, state: (h: Tensor, c: Tensor)? = nil) -> (logits: Tensor, state: (h: Tensor, c: Tensor)) {
        let (o, s) = lstm(embedding(tokens), state: state)
        return (output(o.reshape([-1, o.shape[2]])), s)
    }

    /// Continues `batch` sequences from `start` tokens [B, 1] for `steps` tokens, sampling
    /// each from the softmax of the logits; returns [B, steps].
    public func sample(from first: Tensor, state: (h: Tensor, c: Tensor)?, steps: Int, generator: RandomGenerator) -> Tensor {
        noGrad {
            var inp = first, st = state
            var tokens: [Tensor] = []
            for _ in 0..<steps {
                let (logits, s) = self(inp, state: st)
                let next = Tensor.categorical(logits: logits, generator: generator)
                tokens.append(next)
                inp = next.reshape([-1, 1])
                st = s
            }
            return Tensor.stack(tokens, axis: 1)
        }
    }
}

/// The SeqGAN CNN discriminator (Yu et al. 2017; TextGAN's sizes): embedding 64, twelve
/// window widths with 1720 feature maps in all, max-over-time pooling, a highway layer,
/// dropout 0.25, two classes.
public final class BenchDiscriminator: Module {
    /// Token embeddings.
    public let embedding: Embedding
    /// One convolution per window width, each spanning the whole embedding.
    public let convs: [Conv2d]
    /// The highway transform and the output layer.
    public let highway: Linear, output: Linear
    /// Dropout before the output.
    public let dropout: Dropout
    /// Window widths.
    public static let widths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20]
    /// Feature maps per width (1720 in all).
    public static let maps = [100, 200, 200, 200, 200, 100, 100, 100, 100, 100, 160, 160]

    /// A discriminator over `vocabulary` tokens.
    public init(vocabulary: Int, embedding e: Int = 64, generator: RandomGenerator) {
        embedding = Embedding(vocabulary, e, paddingIndex: 0, generator: generator)
        convs = zip(Self.maps, Self.widths).map { Conv2d(1, $0, kernelSize: ($1, e), generator: generator) }
        let features = Self.maps.reduce(0, +)
        highway = Linear(features, features, generator: generator)
        output = Linear(features, 2, generator: generator)
        dropout = Dropout(0.25, generator: generator)
        super.init()
    }

    /// Class logits [B, 2] for token sequences [B, L].
    public func callAsFunction(_ tokens: Tensor) -> Tensor {
        let e = embedding(tokens).unsqueeze(axis: 1)                                     // [B, 1, L, E]
        let pooled = Tensor.concat(convs.map { $0(e).relu().squeeze(axis: 3).max(axis: 2) }, axis: 1)
        let h = highway(pooled)
        let g = h.sigmoid()
        let p = g * h.relu() + (1 - g) * pooled
        return output(dropout(p))
    }

    /// A frozen copy for scoring many sequences (the rollout): P(class 1) = softmax(logits)[1]
    /// = σ((w₁ - w₀) · f̃ + b₁ - b₀), with the shared-map highway.
    public func rolloutScorer() -> FrozenSequenceScorer {
        noGrad {
            let w = output.weight, b = output.bias ?? Tensor.zeros([2])
            return FrozenSequenceScorer(embedding: embedding.weight, convolutions: convs, highway: .shared(highway),
                                        headWeight: w.select(axis: 0, index: 1) - w.select(axis: 0, index: 0),
                                        headBias: b.scalars[1] - b.scalars[0])
        }
    }
}

/// The DANN feature extractor for MNIST (Ganin et al. 2016): conv5x5x32-pool-conv5x5x48-pool.
public final class BenchFeatures: Module, UnaryLayer {
    /// The two convolutions.
    public let conv1: Conv2d, conv2: Conv2d
    /// The extractor.
    public init(generator: RandomGenerator) {
        conv1 = Conv2d(1, 32, kernelSize: 5, generator: generator)
        conv2 = Conv2d(32, 48, kernelSize: 5, generator: generator)
        super.init()
    }
    /// Features [N, 768] of images [N, 1, 28, 28].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let a = conv1(x).relu().maxPool2d(kernel: (2, 2))
        return conv2(a).relu().maxPool2d(kernel: (2, 2)).flatten(startAxis: 1)
    }
}

/// The LSTM encoder-decoder of the reference benchmark.
public final class BenchSeq2Seq: Module {
    /// Source and target embeddings.
    public let sourceEmbedding: Embedding, targetEmbedding: Embedding
    /// Encoder and decoder.
    public let encoder: LSTM, decoder: LSTM
    /// Decoder state to vocabulary logits.
    public let output: Linear

    /// A model over `vocabulary` tokens.
    public init(vocabulary: Int, embedding e: Int, hidden: Int, generator: RandomGenerator) {
        sourceEmbedding = Embedding(vocabulary, e, generator: generator)
        targetEmbedding = Embedding(vocabulary, e, generator: generator)
        encoder = LSTM(inputSize: e, hiddenSize: hidden, generator: generator)
        decoder = LSTM(inputSize: e, hiddenSize: hidden, generator: generator)
        output = Linear(hidden, vocabulary, generator: generator)
        super.init()
    }

    /// Logits [B, T, V] for source [B, S] and decoder input [B, T].
    public func callAsFunction(_ source: Tensor, _ targetInput: Tensor) -> Tensor {
        let (_, state) = encoder(sourceEmbedding(source))
        let (o, _) = decoder(targetEmbedding(targetInput), state: state)
        return output(o)
    }
}
