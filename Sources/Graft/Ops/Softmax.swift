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
    func softmaxLastAxis(log: Bool) -> Tensor {
        let o = Tensor(uninitializedShape: shape)
        let n = shape.last ?? 1
        SoftmaxKernels.rows(storage.pointer, o.storage.pointer, rows: count / Swift.max(n, 1), n: n, log: log)
        return o
    }

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
        return Tensor.record(out, op: "logSoftmax", inputs: [self], saveOutput: true) { ctx in
            let p = ctx.createGraph ? ctx.inputs[0].softmax(axis: axis) : ctx.output.exp()
            return [ctx.grad - p * ctx.grad.sum(axes: [axis], keepDims: true)]
        }
    }
}
