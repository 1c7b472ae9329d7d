/// Reductions and softmax rows of the CPU backend (`ReduceKernels`, `SoftmaxKernels`).
extension CPUBackend {
    func reduce(_ op: ReduceOp, _ x: Tensor, outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let kind: ReduceKernels.Kind
        switch op {
        case .sum: kind = .sum
        case .max: kind = .max
        case .min: kind = .min
        }
        ReduceKernels.reduce(kind, x.storage.pointer, out.storage.pointer, outer: outer, n: n, inner: inner)
        return out
    }

    func argReduce(max findMax: Bool, _ x: Tensor, outer: Int, n: Int, inner: Int, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        ReduceKernels.argReduce(max: findMax, x.storage.pointer, out.storage.pointer, outer: outer, n: n, inner: inner)
        return out
    }

    func sumAll(_ x: Tensor) -> Float { ReduceKernels.reduceContiguous(.sum, x.storage.pointer, x.count) }

    func softmaxRows(_ x: Tensor, log: Bool) -> Tensor {
        let o = Tensor(uninitializedShape: x.shape)
        let n = x.shape.last ?? 1
        SoftmaxKernels.rows(x.storage.pointer, o.storage.pointer, rows: x.count / Swift.max(n, 1), n: n, log: log)
        return o
    }

    func logSoftmaxBackwardRows(_ g: Tensor, _ y: Tensor) -> Tensor {
        let n = Swift.max(g.shape.last ?? 1, 1), rows = g.count / n
        let out = Tensor(uninitializedShape: g.shape)
        let gp = g.storage.pointer, yp = y.storage.pointer, op = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: rows, minChunk: Swift.max(1, parallelElementThreshold / 4 / n)) { range in
            for r in range {
                let gr = gp + r * n, orow = op + r * n
                let s = ReduceKernels.reduceContiguous(.sum, gr, n)
                expArray(yp + r * n, orow, n)
                for j in 0..<n { orow[j] = gr[j] - orow[j] * s }
            }
        }
        return out
    }
}
