/// Reductions over any set of axes, with keepDims, and their gradients.
extension Tensor {
    /// The shape with `axes` set to 1 (keepDims) or removed.
    static func reducedShape(_ shape: [Int], _ axes: [Int], keepDims: Bool) -> [Int] {
        var out: [Int] = []
        for (i, d) in shape.enumerated() {
            if axes.contains(i) { if keepDims { out.append(1) } } else { out.append(d) }
        }
        return out
    }

    /// Normalised axes: all axes when nil.
    func reductionAxes(_ axes: [Int]?, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        if axes.count == 1 && axes[0] >= 0 && axes[0] < rank { return axes }
        return checked { () throws(ShapeError) in try Shapes.axes(axes, rank: rank, op: op) }
    }

    /// Applies a reduction kernel over sorted axes (consecutive runs merged), keepDims shape.
    func reduceRaw(_ kind: ReduceOp, _ axes: [Int]) -> Tensor {
        var current = self
        var shape = self.shape
        // Reduce from the last axis so earlier axis numbers stay valid.
        var i = axes.count - 1
        while i >= 0 {
            var j = i
            while j > 0 && axes[j - 1] == axes[j] - 1 { j -= 1 }
            let first = axes[j], last = axes[i]
            var outer = 1, n = 1, inner = 1
            for a in 0..<shape.count {
                if a < first { outer *= shape[a] } else if a <= last { n *= shape[a] } else { inner *= shape[a] }
            }
            for a in first...last { shape[a] = 1 }
            current = current.backend.reduce(kind, current, outer: outer, n: n, inner: inner, shape: shape)
            i = j - 1
        }
        return current === self ? copy() : current
    }

    /// Sum over `axes` (all when nil).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "sum")
        let kept = reduceRaw(.sum, ax)
        let out = keepDims ? kept : Tensor(shape: Tensor.reducedShape(shape, ax, keepDims: false), storage: kept.storage)
        let keptShape = kept.shape
        return Tensor.record(out, op: "sum", inputs: [self]) { ctx in
            [ctx.grad.reshape(keptShape).expand(ctx.inputs[0].shape)]
        }
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// Mean over `axes` (all when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Maximum over `axes`; the gradient is shared equally among tied maxima.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { extremum(.max, axes, keepDims, "max") }

    /// Maximum over one axis.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { self.max(axes: [axis], keepDims: keepDims) }

    /// Minimum over `axes`; the gradient is shared equally among tied minima.
    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor { extremum(.min, axes, keepDims, "min") }

    /// Minimum over one axis.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { self.min(axes: [axis], keepDims: keepDims) }

    func extremum(_ kind: ReduceOp, _ axes: [Int]?, _ keepDims: Bool, _ op: String) -> Tensor {
        let ax = reductionAxes(axes, op: op)
        if ax.contains(where: { shape[$0] == 0 }) {
            graftFatal(ShapeError(op: op, "cannot reduce an empty axis of shape \(shapeString(shape))"))
        }
        let kept = reduceRaw(kind, ax)
        let out = keepDims ? kept : Tensor(shape: Tensor.reducedShape(shape, ax, keepDims: false), storage: kept.storage)
        let keptValues = kept.detach()
        return Tensor.record(out, op: op, inputs: [self]) { ctx in
            let x = ctx.inputs[0]
            let mask = x.eq(keptValues)
            let ties = mask.sum(axes: ax, keepDims: true)
            return [ctx.grad.reshape(keptValues.shape) * mask / ties]
        }
    }

    /// The index of the largest value along `axis` (the first one when tied), as Float values.
    public func argmax(axis: Int, keepDims: Bool = false) -> Tensor { argReduce(max: true, axis, keepDims) }

    /// The index of the smallest value along `axis` (the first one when tied), as Float values.
    public func argmin(axis: Int, keepDims: Bool = false) -> Tensor { argReduce(max: false, axis, keepDims) }

    func argReduce(max findMax: Bool, _ axis: Int, _ keepDims: Bool) -> Tensor {
        let op = findMax ? "argmax" : "argmin"
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: op) }
        if rank == 0 { return Tensor(0) }
        if shape[a] == 0 { graftFatal(ShapeError(op: op, "axis \(axis) of shape \(shapeString(shape)) is empty")) }
        return backend.argReduce(max: findMax, self, outer: Shapes.count(Array(shape[..<a])), n: shape[a],
                                 inner: Shapes.count(Array(shape[(a + 1)...])),
                                 shape: Tensor.reducedShape(shape, [a], keepDims: keepDims))
    }

    /// log(sum(exp(x))) over `axes`, computed stably (the maximum is subtracted first).
    public func logsumexp(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "logsumexp")
        let m = noGrad { reduceRaw(.max, ax) }
        // Rows that are all -inf would give nan from -inf - -inf; use 0 there.
        m.withUnsafeMutableBufferPointer { p in for i in p.indices where !p[i].isFinite { p[i] = 0 } }
        let kept = (self - m).exp().sum(axes: ax, keepDims: true).log() + m
        return keepDims ? kept : kept.reshape(Tensor.reducedShape(shape, ax, keepDims: false))
    }

    /// Variance over `axes` (all when nil); `unbiased` divides by n - 1, like PyTorch's default.
    public func variance(axes: [Int]? = nil, unbiased: Bool = true, keepDims: Bool = false) -> Tensor {
        let ax = reductionAxes(axes, op: "variance")
        let n = ax.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(axes: ax, keepDims: true)
        let ss = centered.square().sum(axes: ax, keepDims: keepDims)
        return ss * (1 / Float(Swift.max(unbiased ? n - 1 : n, 1)))
    }

    /// Standard deviation over `axes`.
    public func std(axes: [Int]? = nil, unbiased: Bool = true, keepDims: Bool = false) -> Tensor {
        variance(axes: axes, unbiased: unbiased, keepDims: keepDims).sqrt()
    }

    /// Sums broadcast axes away so that the result has `target` shape (the adjoint of expand).
    public func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        guard Shapes.canBroadcast(target, to: shape) else {
            graftFatal(ShapeError(op: "sumTo", "shape \(shapeString(shape)) cannot be summed to \(shapeString(target))"))
        }
        let lead = rank - target.count
        var axes = Array(0..<lead)
        for (i, d) in target.enumerated() where d == 1 && shape[i + lead] != 1 { axes.append(i + lead) }
        return sum(axes: axes, keepDims: true).reshape(target)
    }

    /// The Euclidean norm over `axes` (all when nil).
    public func norm(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        square().sum(axes: axes, keepDims: keepDims).sqrt()
    }
}
