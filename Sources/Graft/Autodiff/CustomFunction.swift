extension Tensor {
    /// A differentiable function with a user-supplied vector-Jacobian product.
    ///
    /// `forward` computes the output from the inputs (it is not recorded); `vjp` receives the
    /// gradient of the output, the inputs and the output, and returns one gradient (or nil)
    /// per input, each of its input's shape. Write `vjp` with tensor ops, and gradients of
    /// gradients work through it too.
    public static func custom(name: String, inputs: [Tensor], forward: ([Tensor]) -> Tensor,
                              vjp: @escaping (_ grad: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?]) -> Tensor {
        let out = noGrad { forward(inputs.map { $0.detach() }) }
        // A fresh tensor object, so that `out` is never an input's own storage owner's node.
        let result = Tensor(shape: out.shape, storage: out.storage)
        return record(result, op: name, inputs: inputs, saveOutput: true) { ctx in
            let grads = vjp(ctx.grad, ctx.inputs, ctx.output)
            if grads.count != ctx.inputs.count {
                graftFatal(ShapeError(op: name, "vector-Jacobian product returned \(grads.count) gradients for \(ctx.inputs.count) inputs"))
            }
            for (g, x) in zip(grads, ctx.inputs) {
                if let g, g.shape != x.shape {
                    graftFatal(ShapeError(op: name,
                                          "vector-Jacobian product returned a gradient of shape \(shapeString(g.shape)) "
                                          + "for an input of shape \(shapeString(x.shape))"))
                }
            }
            return grads
        }
    }

    /// The identity forward, and the gradient multiplied by -`scale` backward: the gradient
    /// reversal layer of domain-adversarial training (Ganin and Lempitsky 2015, eq. 13).
    public func gradientReversal(scale: Float = 1) -> Tensor {
        Tensor.custom(name: "gradientReversal", inputs: [self], forward: { $0[0] }) { g, _, _ in [g * -scale] }
    }
}
