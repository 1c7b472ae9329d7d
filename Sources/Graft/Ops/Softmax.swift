/// Fused softmax and log-softmax along an axis.
extension Tensor {
    /// Runs a row kernel along `axis`, moving that axis last when it is not already.
    func alongAxis(_ axis: Int, op: String, _ kernel: (Tensor) -> Tensor) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: op) }
        if rank == 0 { return kernel(reshape([1])).reshape([]) }
        if a == rank - 1 { return kernel(self) }
        var order = Array(0..<rank)
        order.remove(at: a)
        order.append(a)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in order.enumerated() { inverse[p] = i }
        return noGrad { kernel(permute(order)).permute(inverse) }
    }

    /// The (log-)softmax of every row along the last axis, unrecorded.
    func softmaxLastAxis(log: Bool) -> Tensor { backend.softmaxRows(self, log: log) }

    /// exp(x) / sum(exp(x)) along `axis`.
    public func softmax(axis: Int = -1) -> Tensor {
        let out = alongAxis(axis, op: "softmax") { $0.softmaxLastAxis(log: false) }
        return Tensor.record(out, op: "softmax", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].softmax(axis: axis) : ctx.output
            let gy = ctx.grad * y
            return [gy - y * gy.sum(axes: [axis], keepDims: true)]
        }
    }

    /// x - log(sum(exp(x))) along `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let out = alongAxis(axis, op: "logSoftmax") { $0.softmaxLastAxis(log: true) }
        let lastAxis = rank == 0 || axis == -1 || axis == rank - 1
        return Tensor.record(out, op: "logSoftmax", inputs: [self], saveOutput: true) { ctx in
            if !ctx.createGraph && lastAxis { return [Tensor.logSoftmaxBackwardRows(ctx.grad, ctx.output)] }
            let p = ctx.createGraph ? ctx.inputs[0].softmax(axis: axis) : ctx.output.exp()
            return [ctx.grad - p * ctx.grad.sum(axes: [axis], keepDims: true)]
        }
    }

    /// g - exp(y) Σ g along the last axis, in one pass per row (the first-order backward of
    /// log-softmax with output y).
    static func logSoftmaxBackwardRows(_ g: Tensor, _ y: Tensor) -> Tensor { g.backend.logSoftmaxBackwardRows(g, y) }
}
