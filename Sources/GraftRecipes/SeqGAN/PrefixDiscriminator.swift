import Graft
import GraftNN

/// A discriminator that scores every prefix, for step-wise rewards without rollouts (REGS,
/// "reward for every generation step", Li, Monroe, Shi, Jean, Ritter and Jurafsky 2017,
/// "Adversarial Learning for Neural Dialogue Generation", section 3.2): an LSTM reads the
/// tokens and after each one gives the logit that the prefix Y_{1:t} comes from real data, so
/// token y_t is rewarded by D(Y_{1:t}) instead of by the whole sentence's single score. It is
/// trained on all prefixes of real (label 1) and generated (label 0) sequences.
public final class PrefixDiscriminator: Module {
    /// Token embeddings [V, E].
    public let embedding: Embedding
    /// The recurrent reader.
    public let lstm: LSTM
    /// Hidden state to one logit.
    public let head: Linear

    /// A prefix discriminator over `vocabulary` tokens.
    public init(vocabulary: Int, embedding e: Int = 32, hidden: Int = 64, generator: RandomGenerator) {
        embedding = Embedding(vocabulary, e, generator: generator)
        lstm = LSTM(inputSize: e, hiddenSize: hidden, generator: generator)
        head = Linear(hidden, 1, generator: generator)
        super.init()
    }

    /// Logits [B, T]: entry t is the logit that tokens[:, 0...t] is a real prefix.
    public func callAsFunction(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 2, "PrefixDiscriminator needs token sequences [B, T], got \(tokens.shape)")
        let (b, t) = (tokens.shape[0], tokens.shape[1])
        let (out, _) = lstm(embedding(tokens))
        return head(out.reshape([b * t, -1])).reshape([b, t])
    }

    /// The binary cross-entropy over every prefix of `real` (label 1) and `fake` (label 0).
    public func loss(real: Tensor, fake: Tensor) -> Tensor {
        let logits = Tensor.concat([self(real), self(fake)], axis: 0)
        let targets = Tensor.concat([Tensor.ones(real.shape), Tensor.zeros(fake.shape)], axis: 0)
        return Tensor.binaryCrossEntropyWithLogits(logits: logits, targets: targets)
    }

    /// Step-wise rewards [B, T] = D(Y_{1:t}), in evaluation mode and without gradients.
    public func rewards(_ tokens: Tensor) -> Tensor {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return noGrad { self(tokens).sigmoid() }
    }
}
