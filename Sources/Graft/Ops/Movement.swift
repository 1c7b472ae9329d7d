/// Shape changes and copies: reshape, expand, permute/transpose, squeeze/unsqueeze, flatten.
extension Tensor {
    /// The same values with a new shape (one size may be -1 and is inferred); shares storage.
    public func reshape(_ newShape: [Int]) -> Tensor {
        let target = checked { () throws(ShapeError) in try resolvedShape(newShape) }
        if target == shape && !_requiresGrad { return self }
        let out = Tensor(shape: target, storage: storage)
        return Tensor.record(out, op: "reshape", inputs: [self]) { ctx in [ctx.grad.reshape(ctx.inputs[0].shape)] }
    }

    /// Reshape with variadic sizes: `x.reshape(2, -1)`.
    public func reshape(_ sizes: Int...) -> Tensor { reshape(sizes) }

    func resolvedShape(_ newShape: [Int]) throws(ShapeError) -> [Int] {
        var shape = newShape
        let unknown = shape.indices.filter { shape[$0] == -1 }
        if unknown.count > 1 || shape.contains(where: { $0 < -1 }) {
            throw ShapeError(op: "reshape", "invalid target shape \(shapeString(newShape)) (at most one -1, no other negative sizes)")
        }
        if let u = unknown.first {
            let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else {
                throw ShapeError(op: "reshape", "cannot reshape \(shapeString(self.shape)) (\(count) elements) to \(shapeString(newShape))")
            }
            shape[u] = count / known
        }
        guard Shapes.count(shape) == count else {
            throw ShapeError(op: "reshape",
                             "cannot reshape \(shapeString(self.shape)) (\(count) elements) to \(shapeString(newShape)) "
                             + "(\(Shapes.count(shape)) elements)")
        }
        return shape
    }

    /// Repeats size-1 axes (and adds leading axes) to reach `target` (a copy; gradient sums back).
    public func expand(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        guard Shapes.canBroadcast(shape, to: target) else {
            graftFatal(ShapeError(op: "expand", "shape \(shapeString(shape)) cannot be expanded to \(shapeString(target))"))
        }
        let out = backend.expand(self, to: target)
        return Tensor.record(out, op: "expand", inputs: [self]) { ctx in [ctx.grad.sumTo(ctx.inputs[0].shape)] }
    }

    /// Reorders the axes: result axis i is input axis `order[i]`.
    public func permute(_ order: [Int]) -> Tensor {
        let perm = checked { () throws(ShapeError) -> [Int] in
            guard order.count == rank else {
                throw ShapeError(op: "permute", "order \(order) has \(order.count) axes for shape \(shapeString(shape))")
            }
            let p = try order.map { a throws(ShapeError) in try Shapes.axis(a, rank: rank, op: "permute") }
            guard Set(p).count == rank else { throw ShapeError(op: "permute", "order \(order) is not a permutation") }
            return p
        }
        if perm == Array(0..<rank) { return self }
        let inStrides = Shapes.strides(shape)
        let outShape = perm.map { shape[$0] }
        let out = backend.stridedGather(self, base: 0, strides: perm.map { inStrides[$0] }, shape: outShape)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return Tensor.record(out, op: "permute", inputs: [self]) { ctx in [ctx.grad.permute(inverse)] }
    }

    /// Permute with variadic axes: `x.permute(0, 2, 1)`.
    public func permute(_ order: Int...) -> Tensor { permute(order) }

    /// Swaps two axes (the last two by default).
    public func transpose(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let (i, j) = checked { () throws(ShapeError) in
            (try Shapes.axis(a, rank: rank, op: "transpose"), try Shapes.axis(b, rank: rank, op: "transpose"))
        }
        var order = Array(0..<rank)
        order.swapAt(i, j)
        return permute(order)
    }

    /// The transpose of a matrix.
    public var T: Tensor {
        if rank != 2 { graftFatal(ShapeError(op: "T", "needs a matrix, got shape \(shapeString(shape))")) }
        return transpose(0, 1)
    }

    /// Removes size-1 axes (the given one, or all when nil).
    public func squeeze(axis: Int? = nil) -> Tensor {
        if let axis {
            let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "squeeze") }
            guard shape[a] == 1 else { return self }
            var s = shape
            s.remove(at: a)
            return reshape(s)
        }
        return reshape(shape.filter { $0 != 1 })
    }

    /// Inserts a size-1 axis at `axis` (negative counts from the end of the new shape).
    public func unsqueeze(axis: Int) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank + 1, op: "unsqueeze") }
        var s = shape
        s.insert(1, at: a)
        return reshape(s)
    }

    /// Merges axes startAxis...endAxis into one.
    public func flatten(startAxis: Int = 0, endAxis: Int = -1) -> Tensor {
        if rank == 0 { return reshape([1]) }
        let (s, e) = checked { () throws(ShapeError) in
            (try Shapes.axis(startAxis, rank: rank, op: "flatten"), try Shapes.axis(endAxis, rank: rank, op: "flatten"))
        }
        if s > e { graftFatal(ShapeError(op: "flatten", "startAxis \(startAxis) is after endAxis \(endAxis)")) }
        return reshape(Array(shape[..<s]) + [Shapes.count(Array(shape[s...e]))] + Array(shape[(e + 1)...]))
    }
}
