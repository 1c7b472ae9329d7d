/// Windows into tensors and their adjoints: slice, pad, concat, stack, split.
extension Tensor {
    /// The strided window starts[k] + i * steps[k], i < counts[k], on every axis.
    func window(starts: [Int], steps: [Int], counts: [Int]) -> Tensor {
        let strides = Shapes.strides(shape)
        let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        let out = backend.stridedGather(self, base: base, strides: zip(steps, strides).map { $0 * $1 }, shape: counts)
        let inShape = shape
        return Tensor.record(out, op: "slice", inputs: [self]) { ctx in
            if let windows = ctx.windows {
                windows.pending.append((0, ctx.grad, starts, steps))
                return [nil]
            }
            return [ctx.grad.placed(in: inShape, starts: starts, steps: steps, fill: 0)]
        }
    }

    /// A tensor of `outer` shape filled with `fill`, with this tensor written at the strided
    /// window starts[k] + i * steps[k] (the adjoint of `window`).
    func placed(in outer: [Int], starts: [Int], steps: [Int], fill: Float) -> Tensor {
        let out = backend.full(outer, fill)
        let strides = Shapes.strides(outer)
        let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        backend.stridedScatter(self, into: out, base: base, strides: zip(steps, strides).map { $0 * $1 }, accumulate: false)
        let counts = shape
        return Tensor.record(out, op: "place", inputs: [self]) { ctx in
            [ctx.grad.window(starts: starts, steps: steps, counts: counts)]
        }
    }

    /// Elements start..<end (step `step`) along `axis`; negative start/end count from the end.
    public func slice(axis: Int, start: Int = 0, end: Int? = nil, step: Int = 1) -> Tensor {
        let (a, s, n) = checked { () throws(ShapeError) -> (Int, Int, Int) in
            let a = try Shapes.axis(axis, rank: rank, op: "slice")
            let size = shape[a]
            guard step > 0 else { throw ShapeError(op: "slice", "step must be positive, got \(step)") }
            var s = start < 0 ? start + size : start
            var e = end.map { $0 < 0 ? $0 + size : $0 } ?? size
            s = Swift.min(Swift.max(s, 0), size)
            e = Swift.min(Swift.max(e, s), size)
            return (a, s, (e - s + step - 1) / step)
        }
        var starts = [Int](repeating: 0, count: rank), steps = [Int](repeating: 1, count: rank)
        var counts = shape
        starts[a] = s; steps[a] = step; counts[a] = n
        return window(starts: starts, steps: steps, counts: counts)
    }

    /// Index `i` along `axis`, removing that axis.
    public func select(axis: Int, index i: Int) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "select") }
        let idx = i < 0 ? i + shape[a] : i
        if idx < 0 || idx >= shape[a] {
            graftFatal(ShapeError(op: "select", "index \(i) is out of range for axis \(axis) of shape \(shapeString(shape))"))
        }
        return slice(axis: a, start: idx, end: idx + 1).squeeze(axis: a)
    }

    /// Pads every axis with `widths[k] = (before, after)` elements of `value`.
    public func pad(_ widths: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        if widths.count != rank || widths.contains(where: { $0.before < 0 || $0.after < 0 }) {
            graftFatal(ShapeError(op: "pad", "needs \(rank) non-negative (before, after) pairs for shape \(shapeString(shape)), got \(widths)"))
        }
        let outer = zip(shape, widths).map { $0 + $1.before + $1.after }
        return placed(in: outer, starts: widths.map { $0.before }, steps: [Int](repeating: 1, count: rank), fill: value)
    }

    /// Pads one axis.
    public func pad(axis: Int, before: Int, after: Int, value: Float = 0) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "pad") }
        var widths = [(before: Int, after: Int)](repeating: (0, 0), count: rank)
        widths[a] = (before, after)
        return pad(widths, value: value)
    }

    /// Joins tensors along an existing axis; all other sizes must agree.
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { graftFatal(ShapeError(op: "concat", "needs at least one tensor")) }
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: first.rank, op: "concat") }
        for t in tensors {
            var s1 = t.shape, s0 = first.shape
            guard s1.count == s0.count else {
                graftFatal(ShapeError(op: "concat", "shapes \(shapeString(first.shape)) and \(shapeString(t.shape)) have different ranks"))
            }
            s1[a] = 0; s0[a] = 0
            if s1 != s0 {
                graftFatal(ShapeError(op: "concat", "shapes \(shapeString(first.shape)) and \(shapeString(t.shape)) differ outside axis \(axis)"))
            }
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = first.backend.empty(outShape)
        let strides = Shapes.strides(outShape)
        var offset = 0
        var offsets: [Int] = []
        for t in tensors {
            offsets.append(offset)
            out.backend.stridedScatter(t, into: out, base: offset * strides[a], strides: strides, accumulate: false)
            offset += t.shape[a]
        }
        return record(out, op: "concat", inputs: tensors) { ctx in
            ctx.inputs.enumerated().map { i, t in
                ctx.needsGrad[i] ? ctx.grad.slice(axis: a, start: offsets[i], end: offsets[i] + t.shape[a]) : nil
            }
        }
    }

    /// Joins tensors of equal shape along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { graftFatal(ShapeError(op: "stack", "needs at least one tensor")) }
        if let bad = tensors.first(where: { $0.shape != first.shape }) {
            graftFatal(ShapeError(op: "stack", "shapes \(shapeString(first.shape)) and \(shapeString(bad.shape)) differ"))
        }
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: first.rank + 1, op: "stack") }
        return concat(tensors.map { $0.unsqueeze(axis: a) }, axis: a)
    }

    /// Splits along `axis` into pieces of the given sizes (which must add up to the axis size).
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "split") }
        if sizes.reduce(0, +) != shape[a] || sizes.contains(where: { $0 < 0 }) {
            graftFatal(ShapeError(op: "split", "sizes \(sizes) do not add up to \(shape[a]), axis \(axis) of shape \(shapeString(shape))"))
        }
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return slice(axis: a, start: start, end: start + n)
        }
    }

    /// Splits along `axis` into `parts` pieces of equal size (the last may be smaller).
    public func chunk(_ parts: Int, axis: Int = 0) -> [Tensor] {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "chunk") }
        if parts <= 0 { graftFatal(ShapeError(op: "chunk", "needs a positive number of parts, got \(parts)")) }
        let size = (shape[a] + parts - 1) / parts
        var sizes: [Int] = []
        var left = shape[a]
        while left > 0 { sizes.append(Swift.min(size, left)); left -= size }
        return split(sizes: sizes, axis: a)
    }
}
