/// The closeness features of mini-batch discrimination.
extension Tensor {
    /// o[i, b] = Σ_{j ≠ i} exp(-Σ_c |m[i, b, c] - m[j, b, c]|) [N, B] for m [N, B, C] (mini-batch
    /// discrimination, Salimans et al. 2016, Sec. 3.2), as one fused op: the N x N x B x C
    /// differences are never stored (with tensor ops they were ten passes over N² B C elements per
    /// call). The B kernels run in parallel, each summing in a fixed order (the result does not
    /// depend on the thread count), and the forward pass keeps its N(N-1)/2 x B closeness values
    /// for the backward pass, which is first order only.
    public func minibatchCloseness() -> Tensor {
        guard rank == 3 else { graftFatal(ShapeError(op: "minibatchCloseness", "expects [N, B, C], got \(shapeString(shape))")) }
        let (n, b) = (shape[0], shape[1])
        let saved = ClosenessValues(count: n * (n - 1) / 2 * b)
        return Tensor.custom(name: "minibatchCloseness", inputs: [self], forward: { inputs in
            inputs[0].backend.minibatchCloseness(inputs[0], saved: saved)
        }, vjp: { grad, inputs, _ in
            [inputs[0].backend.minibatchClosenessBackward(inputs[0], grad: grad, saved: saved)]
        })
    }
}
