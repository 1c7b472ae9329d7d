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

    /// exp(x) / sum(exp(x)) along `axis`.
    public func softmax(axis: Int = -1) -> Tensor {
        let out = alongAxis(axis, op: "softmax") { x in
            let o = Tensor(uninitializedShape: x.shape)
            let n = x.shape.last ?? 1
            SoftmaxKernels.rows(x.storage.pointer, o.storage.pointer, rows: x.count / Swift.max(n, 1), n: n, log: false)
            return o
        }
        return Tensor.record(out, op: "softmax", inputs: [self], saveOutput: true) { ctx in
            let y = ctx.createGraph ? ctx.inputs[0].softmax(axis: axis) : ctx.output
            let gy = ctx.grad * y
            return [gy - y * gy.sum(axes: [axis], keepDims: true)]
        }
    }

    /// x - log(sum(exp(x))) along `axis`, computed stably.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let out = alongAxis(axis, op: "logSoftmax") { x in
            let o = Tensor(uninitializedShape: x.shape)
            let n = x.shape.last ?? 1
            SoftmaxKernels.rows(x.storage.pointer, o.storage.pointer, rows: x.count / Swift.max(n, 1), n: n, log: true)
            return o
        }
        return Tensor.record(out, op: "logSoftmax", inputs: [self], saveOutput: true) { ctx in
            let p = ctx.createGraph ? ctx.inputs[0].softmax(axis: axis) : ctx.output.exp()
            return [ctx.grad - p * ctx.grad.sum(axes: [axis], keepDims: true)]
        }
    }
}
