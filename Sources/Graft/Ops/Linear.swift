/// The affine map of a linear layer as one op (PyTorch's `F.linear`): the bias is written into
/// the output before the GEMM accumulates onto it, which saves a pass over the output (for a
/// 5000-word vocabulary layer the output is the largest tensor of the step).
extension Tensor {
    /// x Wᵀ + b for x [..., in], weight [out, in] and bias [out]; the result is [..., out].
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        guard let bias else { return matmul(x, weight, transposeB: true) }
        guard x.rank >= 1, weight.rank == 2, x.shape[x.rank - 1] == weight.shape[1] else {
            graftFatal(ShapeError(op: "linear",
                                  "input \(shapeString(x.shape)) and weight \(shapeString(weight.shape)) do not match "
                                  + "(weight must be [out, \(x.rank >= 1 ? x.shape[x.rank - 1] : -1)])"))
        }
        let (k, n) = (weight.shape[1], weight.shape[0])
        guard bias.shape == [n] else {
            graftFatal(ShapeError(op: "linear", "bias of shape \(shapeString(bias.shape)) for \(n) outputs"))
        }
        let rows = x.count / k
        let out = x.backend.linear(x, weight: weight, bias: bias, rows: rows, shape: Array(x.shape.dropLast()) + [n])
        return record(out, op: "linear", inputs: [x, weight, bias]) { ctx in
            let g = ctx.grad.reshape([rows, n])
            let gx = ctx.needsGrad[0] ? mm(g, ctx.inputs[1], false, false).reshape(ctx.inputs[0].shape) : nil
            let gw = ctx.needsGrad[1] ? mm(g, ctx.inputs[0].reshape([rows, k]), true, false) : nil
            let gb = ctx.needsGrad[2] ? g.sum(axes: [0]) : nil
            return [gx, gw, gb]
        }
    }
}
