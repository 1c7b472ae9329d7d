import Graft
import GraftNN

/// How a generator's output is made continuous so that a discriminator's gradient reaches it
/// (the course's second way around non-differentiable sampling).
public enum SoftTokens: String, Codable, Sendable, CaseIterable {
    /// The softmax of the logits at each step (Gulrajani et al. 2017's language model feeds these
    /// to the critic; real one-hot inputs are then easy to tell apart unless the critic is a WGAN's).
    case softmax
    /// A Gumbel-softmax sample at each step (Jang et al. 2017; Kusner and Hernández-Lobato 2016).
    case gumbel
    /// The straight-through Gumbel-softmax: one-hot forward, soft gradient backward.
    case straightThrough
}

extension TokenGenerator {
    /// `count` free-running sequences of `length` steps as distributions over the vocabulary
    /// [count, length, V], with gradients: each step's output y_t (`mode`, at `temperature`) is
    /// fed back as the expected embedding y_t E, so the whole sequence is differentiable.
    public func softSequences(count: Int, length: Int, mode: SoftTokens, temperature: Float = 1,
                              generator: RandomGenerator) -> Tensor {
        precondition(length > 0 && count > 0, "softSequences needs a positive count and length")
        var state = initialState(batch: count)
        var input = embedding(Tensor.full([count], Float(startToken)))
        var outputs: [Tensor] = []
        for _ in 0..<length {
            state = cell.step(inputGates: cell.inputGates(input), state: state)
            let logits = output(state.h)
            let y: Tensor
            switch mode {
            case .softmax: y = (logits / temperature).softmax(axis: -1)
            case .gumbel: y = GumbelSoftmax.sample(logits: logits, temperature: temperature, generator: generator)
            case .straightThrough: y = GumbelSoftmax.sample(logits: logits, temperature: temperature, hard: true, generator: generator)
            }
            outputs.append(y)
            input = matmul(y, embedding.weight)
        }
        return Tensor.stack(outputs, axis: 1)
    }
}
