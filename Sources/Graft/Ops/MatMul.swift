/// Matrix products: matmul with NumPy batch broadcasting, and the transposed forms the
/// backward pass uses so that no transpose is ever copied.
extension Tensor {
    /// The matrix product with `other`, like `torch.matmul`: vectors are promoted to
    /// matrices and back, leading batch axes broadcast.
    public func matmul(_ other: Tensor) -> Tensor { Tensor.matmul(self, other) }

    /// op(a) @ op(b) where op transposes the last two axes when asked.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        if a.rank == 0 || b.rank == 0 {
            graftFatal(ShapeError(op: "matmul", "needs tensors of rank >= 1, got \(shapeString(a.shape)) and \(shapeString(b.shape))"))
        }
        if a.rank == 1 || b.rank == 1 {
            if (a.rank == 1 && transposeA) || (b.rank == 1 && transposeB) {
                graftFatal(ShapeError(op: "matmul", "cannot transpose a vector"))
            }
            let a2 = a.rank == 1 ? a.unsqueeze(axis: 0) : a
            let b2 = b.rank == 1 ? b.unsqueeze(axis: 1) : b
            var r = matmul(a2, b2, transposeA: transposeA, transposeB: transposeB)
            if a.rank == 1 { r = r.squeeze(axis: -2) }
            if b.rank == 1 { r = r.squeeze(axis: -1) }
            return r
        }
        let (m, ka) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (kb, n) = transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        if ka != kb {
            graftFatal(ShapeError(op: "matmul",
                                  "inner sizes differ: \(shapeString(a.shape))\(transposeA ? "^T" : "") "
                                  + "@ \(shapeString(b.shape))\(transposeB ? "^T" : "") (\(ka) vs \(kb))"))
        }
        // [..., m, k] @ [k, n]: fold the batch into the rows.
        if b.rank == 2 && a.rank > 2 && !transposeA {
            let rows = a.reshape([-1, ka])
            return mm(rows, b, false, transposeB).reshape(Array(a.shape.dropLast(2)) + [m, n])
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = checked { () throws(ShapeError) in
            do { return try Shapes.broadcast(batchA, batchB, op: "matmul") } catch {
                throw ShapeError(op: "matmul", "batch axes of \(shapeString(a.shape)) and \(shapeString(b.shape)) cannot be broadcast together")
            }
        }
        let ea = batchA == batch ? a : a.expand(batch + Array(a.shape.suffix(2)))
        let eb = batchB == batch ? b : b.expand(batch + Array(b.shape.suffix(2)))
        return mm(ea, eb, transposeA, transposeB)
    }

    /// The primitive: equal batch axes, rank >= 2, with transpose flags; differentiable
    /// to any order (its backward is itself made of `mm`).
    static func mm(_ a: Tensor, _ b: Tensor, _ ta: Bool, _ tb: Bool) -> Tensor {
        let r = a.rank
        let m = ta ? a.shape[r - 1] : a.shape[r - 2]
        let k = ta ? a.shape[r - 2] : a.shape[r - 1]
        let n = tb ? b.shape[r - 2] : b.shape[r - 1]
        let batchShape = Array(a.shape.dropLast(2))
        let batch = Shapes.count(batchShape)
        let out = a.backend.matmul(a, b, transposeA: ta, transposeB: tb, batch: batch, m: m, n: n, k: k, shape: batchShape + [m, n])
        return record(out, op: "matmul", inputs: [a, b]) { ctx in
            let (a, b, g) = (ctx.inputs[0], ctx.inputs[1], ctx.grad)
            var ga: Tensor? = nil, gb: Tensor? = nil
            switch (ta, tb) {
            case (false, false):
                if ctx.needsGrad[0] { ga = mm(g, b, false, true) }
                if ctx.needsGrad[1] { gb = mm(a, g, true, false) }
            case (false, true):
                if ctx.needsGrad[0] { ga = mm(g, b, false, false) }
                if ctx.needsGrad[1] { gb = mm(g, a, true, false) }
            case (true, false):
                if ctx.needsGrad[0] { ga = mm(b, g, false, true) }
                if ctx.needsGrad[1] { gb = mm(a, g, false, false) }
            case (true, true):
                if ctx.needsGrad[0] { ga = mm(b, g, true, true) }
                if ctx.needsGrad[1] { gb = mm(g, a, true, true) }
            }
            return [ga, gb]
        }
    }
}

/// The matrix product (free-function spelling of `Tensor.matmul`).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
}
