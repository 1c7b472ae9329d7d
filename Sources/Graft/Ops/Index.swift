/// Indexing by integer-valued tensors: gather, scatter-add, index-select, one-hot,
/// embedding lookup. Index tensors hold whole numbers as Float32 (exact below 2^24).
extension Tensor {
    /// Converts index values to Int, checking that each is a whole number in 0..<size.
    func indexValues(limit size: Int, op: String) -> [Int] {
        withUnsafeBufferPointer { p in
            (0..<count).map { i in
                let v = p[i]
                let iv = Int(exactly: v) ?? -1
                if iv < 0 || iv >= size {
                    graftFatal(ShapeError(op: op, "index \(v) at position \(i) is not a whole number in 0..<\(size)"))
                }
                return iv
            }
        }
    }

    /// The [outer, axis, inner] view sizes of a shape around `axis`.
    static func split3(_ shape: [Int], _ a: Int) -> (outer: Int, n: Int, inner: Int) {
        (Shapes.count(Array(shape[..<a])), shape[a], Shapes.count(Array(shape[(a + 1)...])))
    }

    /// Element offsets into `shape` for every position of `indexShape`, with the index value
    /// (from `idx`) replacing the coordinate along `axis` (the gather/scatter addressing).
    static func gatherOffsets(shape: [Int], indexShape: [Int], axis a: Int, idx: [Int]) -> [Int] {
        let strides = Shapes.strides(shape)
        var offsets = [Int](repeating: 0, count: idx.count)
        var coord = [Int](repeating: 0, count: indexShape.count)
        for i in 0..<idx.count {
            var off = idx[i] * strides[a]
            for d in 0..<coord.count where d != a { off += coord[d] * strides[d] }
            offsets[i] = off
            var d = coord.count - 1
            while d >= 0 {
                coord[d] += 1
                if coord[d] < indexShape[d] { break }
                coord[d] = 0
                d -= 1
            }
        }
        return offsets
    }

    /// Checks gather/scatter shapes: same rank, index no larger than `shape` off the axis.
    static func checkGatherShapes(_ shape: [Int], _ indexShape: [Int], _ a: Int, op: String) {
        let ok = indexShape.count == shape.count && zip(indexShape, shape).enumerated().allSatisfy { d, p in d == a || p.0 <= p.1 }
        if !ok {
            graftFatal(ShapeError(op: op,
                                  "index of shape \(shapeString(indexShape)) does not fit a tensor of shape \(shapeString(shape)) along axis \(a)"))
        }
    }

    /// out[i][j][k] = self[i][index[i][j][k]][k] for axis 1 (like `torch.gather`).
    public func gather(axis: Int, index: Tensor) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "gather") }
        Tensor.checkGatherShapes(shape, index.shape, a, op: "gather")
        let offsets = Tensor.gatherOffsets(shape: shape, indexShape: index.shape, axis: a, idx: index.indexValues(limit: shape[a], op: "gather"))
        let out = backend.gather(self, offsets: offsets, shape: index.shape)
        let idx = index.detach(), inShape = shape
        return Tensor.record(out, op: "gather", inputs: [self]) { ctx in
            if ctx.createGraph { return [Tensor.zeros(inShape).scatterAdd(axis: a, index: idx, source: ctx.grad)] }
            // First order: add the gradient straight into zeros (no copy of a dense tensor).
            let g = ctx.grad.backend.full(inShape, 0)
            g.backend.scatterAdd(ctx.grad, offsets: offsets, into: g)
            return [g]
        }
    }

    /// A copy of self with source[i][j][k] added at [i][index[i][j][k]][k] for axis 1
    /// (like `torch.scatter_add`); differentiable in self and source.
    public func scatterAdd(axis: Int, index: Tensor, source: Tensor) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "scatterAdd") }
        Tensor.checkGatherShapes(shape, index.shape, a, op: "scatterAdd")
        if !Tensor.fits(index.shape, in: source.shape) {
            graftFatal(ShapeError(op: "scatterAdd",
                                  "index of shape \(shapeString(index.shape)) is larger than source of shape \(shapeString(source.shape))"))
        }
        let offsets = Tensor.gatherOffsets(shape: shape, indexShape: index.shape, axis: a, idx: index.indexValues(limit: shape[a], op: "scatterAdd"))
        let src = index.shape == source.shape
            ? source.detach()
            : source.window(starts: source.shape.map { _ in 0 }, steps: source.shape.map { _ in 1 }, counts: index.shape).detach()
        let out = copy()
        out.backend.scatterAdd(src, offsets: offsets, into: out)
        let idx = index.detach(), sourceShape = source.shape
        return Tensor.record(out, op: "scatterAdd", inputs: [self, source]) { ctx in
            var gs: Tensor? = nil
            if ctx.needsGrad[1] {
                let g = ctx.grad.gather(axis: a, index: idx)
                gs = g.shape == sourceShape
                    ? g : g.placed(in: sourceShape, starts: sourceShape.map { _ in 0 }, steps: sourceShape.map { _ in 1 }, fill: 0)
            }
            return [ctx.needsGrad[0] ? ctx.grad : nil, gs]
        }
    }

    static func fits(_ small: [Int], in big: [Int]) -> Bool {
        small.count == big.count && zip(small, big).allSatisfy { $0 <= $1 }
    }

    /// The slices at `indices` (a vector of whole numbers) along `axis` (like `torch.index_select`).
    public func indexSelect(axis: Int, indices: Tensor) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "indexSelect") }
        if indices.rank > 1 { graftFatal(ShapeError(op: "indexSelect", "indices must be a vector, got shape \(shapeString(indices.shape))")) }
        let idx = indices.indexValues(limit: shape[a], op: "indexSelect")
        let (outer, n, inner) = Tensor.split3(shape, a)
        var outShape = shape
        outShape[a] = idx.count
        let out = backend.indexSelect(self, indices: idx, outer: outer, n: n, inner: inner, shape: outShape)
        let index = indices.detach(), inShape = shape
        return Tensor.record(out, op: "indexSelect", inputs: [self]) { ctx in
            [ctx.grad.indexAdd(axis: a, indices: index, into: inShape)]
        }
    }

    /// A zero tensor of `shape` with the slices of self added at `indices` along `axis`
    /// (the adjoint of indexSelect, used for embedding gradients).
    public func indexAdd(axis: Int, indices: Tensor, into shape: [Int]) -> Tensor {
        let a = checked { () throws(ShapeError) in try Shapes.axis(axis, rank: rank, op: "indexAdd") }
        let idx = indices.indexValues(limit: shape[a], op: "indexAdd")
        var expected = shape
        expected[a] = idx.count
        if expected != self.shape {
            graftFatal(ShapeError(op: "indexAdd",
                                  "source of shape \(shapeString(self.shape)) does not match \(idx.count) indices "
                                  + "into \(shapeString(shape)) along axis \(axis)"))
        }
        let (outer, n, inner) = Tensor.split3(shape, a)
        let out = backend.indexAdd(self, indices: idx, outer: outer, n: n, inner: inner, shape: shape)
        let index = indices.detach()
        return Tensor.record(out, op: "indexAdd", inputs: [self]) { ctx in
            [ctx.grad.indexSelect(axis: a, indices: index)]
        }
    }

    /// Rows of this [vocabulary, dim] table for every index: shape indices.shape + [dim].
    public func embedding(_ indices: Tensor) -> Tensor {
        if rank != 2 { graftFatal(ShapeError(op: "embedding", "the table must be a matrix, got shape \(shapeString(shape))")) }
        return indexSelect(axis: 0, indices: indices.reshape([-1])).reshape(indices.shape + [shape[1]])
    }

    /// A [..., classes] tensor with 1 at each index and 0 elsewhere.
    public static func oneHot(_ indices: Tensor, classes: Int) -> Tensor {
        let idx = indices.indexValues(limit: classes, op: "oneHot")
        return indices.backend.oneHot(idx, classes: classes, shape: indices.shape + [classes])
    }

    /// Whole-number indices as a Float tensor (for targets and lookups).
    public convenience init(indices: [Int], shape: [Int]? = nil) {
        self.init(indices.map { Float($0) }, shape: shape ?? [indices.count])
    }
}
