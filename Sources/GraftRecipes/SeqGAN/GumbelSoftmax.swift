import Graft

/// The Gumbel-softmax (Jang, Gu and Poole 2017; Maddison, Mnih and Teh 2017, "Concrete"):
/// y = softmax((logits + g) / τ) with g_i = -log(-log u_i), u uniform. Its argmax is an exact
/// sample of softmax(logits) (the Gumbel-max trick); as τ → 0 the soft sample approaches that
/// one-hot vector. The straight-through version outputs the one-hot vector forward and passes
/// the soft sample's gradient backward: y_hard - stop_gradient(y_soft) + y_soft.
public enum GumbelSoftmax {
    /// A relaxed sample [..., V] of each row of `logits`; `hard` gives the straight-through one-hot.
    public static func sample(logits: Tensor, temperature: Float, hard: Bool = false, generator: RandomGenerator) -> Tensor {
        precondition(temperature > 0, "the Gumbel-softmax temperature must be positive, got \(temperature)")
        let soft = ((logits + Tensor.gumbel(logits.shape, generator: generator)) / temperature).softmax(axis: -1)
        guard hard else { return soft }
        let v = logits.shape[logits.rank - 1]
        let oneHot = Tensor.oneHot(soft.detach().argmax(axis: -1), classes: v)
        return oneHot - soft.detach() + soft
    }
}
