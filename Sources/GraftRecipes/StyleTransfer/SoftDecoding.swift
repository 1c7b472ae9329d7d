import Graft

/// A free-running decoder output that gradients can pass through: one straight-through
/// Gumbel-softmax token per step (Jang, Gu and Poole 2017, eq. 2: y = softmax((log π + g) / τ),
/// one-hot forward and the soft sample's gradient backward), each fed back to the decoder as its
/// expected embedding y E.
public struct SoftSequence {
    /// Per-step token distributions [B, L, V] (one-hot rows forward, soft gradients backward).
    public let distributions: Tensor
    /// The hard tokens of each row before its first end token (at most L).
    public let tokens: [[Int]]
    /// `tokens[b].count` for each row.
    public var lengths: [Int] { tokens.map(\.count) }

    /// A soft sequence from its parts.
    public init(distributions: Tensor, tokens: [[Int]]) {
        self.distributions = distributions
        self.tokens = tokens
    }

    /// A mask [B, L] that is 1 at the first `lengths[b] + extra` positions of row b (capped at L):
    /// `extra` 1 counts the end token too.
    public func mask(extra: Int = 0) -> Tensor {
        let (b, l) = (distributions.shape[0], distributions.shape[1])
        var m = [Float](repeating: 0, count: b * l)
        for (row, n) in lengths.enumerated() { for t in 0..<min(l, n + extra) { m[row * l + t] = 1 } }
        return Tensor(m, shape: [b, l])
    }

    /// The distributions with every position from the end token on replaced by the one-hot
    /// vector of `padIndex`: d' = m d + (1 - m) e_pad, so that a reader sees the same padding
    /// as in a padded batch of real tokens. Gradients pass to the kept positions only.
    public func padded(padIndex: Int) -> Tensor {
        let (b, l, v) = (distributions.shape[0], distributions.shape[1], distributions.shape[2])
        let keep = mask().reshape([b, l, 1])
        var pad = [Float](repeating: 0, count: v)
        pad[padIndex] = 1
        return distributions * keep + (1 - keep) * Tensor(pad, shape: [1, 1, v])
    }
}

extension Seq2Seq {
    /// Decodes `steps` tokens from `memory` without teacher forcing, differentiably: at each step
    /// the straight-through Gumbel-softmax sample of the logits at `temperature` (or, with
    /// `noise` false, the straight-through argmax of softmax(logits / τ)) is both the output and,
    /// times the target embedding table, the next input. Dropout applies in training mode.
    public func softDecode(memory: EncoderMemory, steps: Int, temperature: Float, noise: Bool = true,
                           generator: RandomGenerator) -> SoftSequence {
        precondition(steps > 0 && temperature > 0, "Seq2Seq.softDecode needs positive steps and temperature, got \(steps) and \(temperature)")
        let b = memory.batch, v = config.targetVocabulary
        var state = initialState(memory)
        var input = targetEmbedding(Tensor.full([b], Float(config.beginIndex)))
        var outputs: [Tensor] = []
        for _ in 0..<steps {
            let (logits, next, _) = step(embedded: input, state: state, memory: memory)
            state = next
            let y: Tensor
            if noise {
                y = GumbelSoftmax.sample(logits: logits, temperature: temperature, hard: true, generator: generator)
            } else {
                let soft = (logits / temperature).softmax(axis: -1)
                y = Tensor.oneHot(soft.detach().argmax(axis: -1), classes: v) - soft.detach() + soft
            }
            outputs.append(y)
            input = matmul(y, targetEmbedding.weight)
        }
        let distributions = Tensor.stack(outputs, axis: 1)
        let hard = distributions.detach().argmax(axis: -1).scalars.map { Int($0) }
        let tokens = (0..<b).map { row -> [Int] in
            let sequence = hard[(row * steps)..<((row + 1) * steps)]
            return Array(sequence.prefix { $0 != config.endIndex })
        }
        return SoftSequence(distributions: distributions, tokens: tokens)
    }
}
