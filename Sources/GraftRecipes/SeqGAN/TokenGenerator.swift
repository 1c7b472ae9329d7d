import Graft
import GraftNN

/// The unconditional LSTM language model of SeqGAN (Yu, Zhang, Wang and Yu 2017, "SeqGAN:
/// Sequence Generative Adversarial Nets with Policy Gradient", section 4): a token embedding, one
/// LSTM layer and a linear map to the vocabulary, G_θ(y_t | Y_{1:t-1}) = softmax(W h_t + b).
/// Every sequence starts from `startToken` (fed as the first input, never emitted as part of a
/// sequence's prediction target); sequences have a fixed length, as in the paper's synthetic
/// experiment. The same class is the oracle (`oracle(...)`: every weight N(0, 1)), the generator
/// and SeqGAN's delayed rollout copy.
public final class TokenGenerator: Module {
    /// Token embeddings [V, E].
    public let embedding: Embedding
    /// The recurrent cell.
    public let cell: LSTMCell
    /// Hidden state to vocabulary logits.
    public let output: Linear
    /// Tokens 0..<vocabulary.
    public let vocabulary: Int
    /// The first input of every sequence.
    public let startToken: Int

    /// A generator over `vocabulary` tokens with `embedding`-sized embeddings and `hidden` units.
    public init(vocabulary: Int, embedding e: Int, hidden: Int, startToken: Int = 0, generator: RandomGenerator) {
        precondition(vocabulary > 1 && e > 0 && hidden > 0, "TokenGenerator needs a vocabulary of at least 2 and positive sizes")
        precondition(startToken >= 0 && startToken < vocabulary, "the start token \(startToken) is outside 0..<\(vocabulary)")
        self.vocabulary = vocabulary
        self.startToken = startToken
        embedding = Embedding(vocabulary, e, generator: generator)
        cell = LSTMCell(e, hidden, generator: generator)
        output = Linear(hidden, vocabulary, generator: generator)
        super.init()
    }

    /// SeqGAN's oracle (the "target LSTM"): the same architecture with every parameter drawn
    /// from N(0, `scale`²) (the paper's oracle uses N(0, 1), which makes its next-token
    /// distributions peaked enough to have structure).
    public static func oracle(vocabulary: Int, embedding: Int, hidden: Int, scale: Float = 1, seed: UInt64) -> TokenGenerator {
        let g = RandomGenerator(seed: seed)
        let model = TokenGenerator(vocabulary: vocabulary, embedding: embedding, hidden: hidden, generator: g)
        noGrad {
            for (_, p) in model.namedParameters() {
                p.assign(Tensor.randn(p.shape, std: scale, generator: g))
            }
        }
        model.freeze()
        return model
    }

    /// The zero state for `batch` sequences.
    public func initialState(batch: Int) -> (h: Tensor, c: Tensor) {
        (Tensor.zeros([batch, cell.hiddenSize]), Tensor.zeros([batch, cell.hiddenSize]))
    }

    /// Feeds `tokens` [B] (whole numbers) from `state`: the next-token logits [B, V] and the new state.
    public func step(_ tokens: Tensor, state: (h: Tensor, c: Tensor)) -> (logits: Tensor, state: (h: Tensor, c: Tensor)) {
        let s = cell.step(inputGates: cell.inputGates(embedding(tokens)), state: state)
        return (output(s.h), s)
    }

    /// The inputs of teacher forcing for targets [B, T]: the start token, then targets[:, 0..<T-1].
    public func teacherInputs(_ targets: Tensor) -> Tensor {
        let b = targets.shape[0], t = targets.shape[1]
        let start = Tensor.full([b, 1], Float(startToken))
        return t == 1 ? start : Tensor.concat([start, targets.slice(axis: 1, start: 0, end: t - 1)], axis: 1)
    }

    /// Teacher-forced next-token logits [B, T, V] for target sequences [B, T]: position t
    /// predicts targets[:, t] from the start token and targets[:, 0..<t].
    public func logits(_ targets: Tensor) -> Tensor {
        precondition(targets.rank == 2, "TokenGenerator.logits needs token sequences [B, T], got \(targets.shape)")
        let (b, t) = (targets.shape[0], targets.shape[1])
        let gates = cell.inputGates(embedding(teacherInputs(targets)))          // [B, T, 4H] in one GEMM
        var state = initialState(batch: b)
        var hs: [Tensor] = []
        for k in 0..<t {
            state = cell.step(inputGates: gates.select(axis: 1, index: k), state: state)
            hs.append(state.h)
        }
        let h = Tensor.stack(hs, axis: 1).reshape([b * t, cell.hiddenSize])
        return output(h).reshape([b, t, vocabulary])
    }

    /// log G(y_t | y_{<t}) for each position of `tokens` [B, T]: [B, T].
    public func logProbabilities(of tokens: Tensor) -> Tensor {
        let (b, t) = (tokens.shape[0], tokens.shape[1])
        let logp = logits(tokens).logSoftmax(axis: -1)
        return logp.gather(axis: 2, index: tokens.reshape([b, t, 1])).reshape([b, t])
    }

    /// The mean negative log-likelihood per token of `tokens` [B, T] (the MLE loss, and the
    /// paper's NLL-oracle when the model is the oracle).
    public func nll(_ tokens: Tensor) -> Tensor { -logProbabilities(of: tokens).mean() }

    /// `count` sequences of `length` tokens sampled from softmax(logits / temperature); [count, length].
    public func sample(count: Int, length: Int, temperature: Float = 1, generator: RandomGenerator) -> Tensor {
        noGrad {
            let first = Tensor.full([count], Float(startToken))
            return continueSampling(first, state: initialState(batch: count), steps: length, temperature: temperature, generator: generator)
        }
    }

    /// Feeds `last` [B] from `state`, then samples `steps` tokens one after another; [B, steps].
    public func continueSampling(_ last: Tensor, state: (h: Tensor, c: Tensor), steps: Int, temperature: Float = 1,
                                 generator: RandomGenerator) -> Tensor {
        noGrad {
            var input = last, s = state
            var tokens: [Tensor] = []
            for _ in 0..<steps {
                s = cell.step(inputGates: cell.inputGates(embedding(input)), state: s)
                // The draw of categorical(logits: output(s.h)), without the [B, V] logits tensor.
                input = Tensor.categorical(features: s.h, weight: output.weight, bias: output.bias, temperature: temperature,
                                           generator: generator)
                tokens.append(input)
            }
            return tokens.isEmpty ? Tensor.zeros([last.shape[0], 0]) : Tensor.stack(tokens, axis: 1)
        }
    }

    /// The states after the start token and tokens[:, 0..<t] for t = 0 ..< T, without
    /// gradients: element t is the state whose logits predict tokens[:, t]. The rollout
    /// continues a prefix from its state instead of running the prefix again.
    public func prefixStates(_ tokens: Tensor) -> [(h: Tensor, c: Tensor)] {
        noGrad {
            let (b, t) = (tokens.shape[0], tokens.shape[1])
            let gates = cell.inputGates(embedding(teacherInputs(tokens)))
            var state = initialState(batch: b)
            var states: [(h: Tensor, c: Tensor)] = []
            for k in 0..<t {
                state = cell.step(inputGates: gates.select(axis: 1, index: k), state: state)
                states.append(state)
            }
            return states
        }
    }

    /// Moves every parameter toward `other`'s: θ ← rate θ + (1 - rate) θ_other (SeqGAN's
    /// delayed rollout network, rate 0.8 in the authors' code). rate 0 copies `other`.
    public func follow(_ other: TokenGenerator, rate: Float) {
        let mine = namedParameters(), theirs = Dictionary(uniqueKeysWithValues: other.namedParameters().map { ($0.name, $0.tensor) })
        noGrad {
            for (name, p) in mine {
                guard let q = theirs[name], q.shape == p.shape else {
                    preconditionFailure("TokenGenerator.follow: '\(name)' differs between the two generators")
                }
                p.assign(p * rate + q * (1 - rate))
            }
        }
    }
}
