/// How two operands map onto a broadcast output: the output's axes merged where both
/// operands step alike, with per-operand strides (0 along broadcast axes).
struct BroadcastPlan {
    /// The output shape (uncollapsed).
    let outShape: [Int]
    /// The merged axis sizes; the last one is the inner, contiguous loop.
    let dims: [Int]
    /// Strides of operand A and B along the merged axes (0 where broadcast).
    let aStrides: [Int]
    let bStrides: [Int]

    /// The length of the innermost loop.
    var inner: Int { dims.last ?? 1 }
    /// The number of inner loops.
    var outer: Int { Shapes.count(dims) / max(inner, 1) }

    init(_ a: [Int], _ b: [Int], out: [Int]) {
        outShape = out
        let r = out.count
        let pa = [Int](repeating: 1, count: r - a.count) + a
        let pb = [Int](repeating: 1, count: r - b.count) + b
        var dims: [Int] = []
        var pattern: [(Bool, Bool)] = []
        for i in 0..<r where out[i] != 1 {
            let p = (pa[i] == 1, pb[i] == 1)
            if let last = pattern.last, last == p {
                dims[dims.count - 1] *= out[i]
            } else {
                dims.append(out[i])
                pattern.append(p)
            }
        }
        if dims.isEmpty { dims = [1]; pattern = [(false, false)] }
        var sa = [Int](repeating: 0, count: dims.count), sb = sa
        var accA = 1, accB = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            if !pattern[i].0 { sa[i] = accA; accA *= dims[i] }
            if !pattern[i].1 { sb[i] = accB; accB *= dims[i] }
        }
        self.dims = dims
        aStrides = sa
        bStrides = sb
    }

    /// Calls `body(aOffset, bOffset, outOffset)` for each inner loop in `rows`.
    @inline(__always)
    func forEachRow(_ rows: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        let inner = self.inner
        let n = dims.count - 1
        if n == 0 {
            for _ in rows { body(0, 0, 0) }
            return
        }
        // Decompose the first row index into a multi-index over the outer axes.
        var idx = [Int](repeating: 0, count: n)
        var rem = rows.lowerBound
        var offA = 0, offB = 0
        for i in stride(from: n - 1, through: 0, by: -1) {
            idx[i] = rem % dims[i]
            rem /= dims[i]
            offA += idx[i] * aStrides[i]
            offB += idx[i] * bStrides[i]
        }
        for row in rows {
            body(offA, offB, row * inner)
            var i = n - 1
            while i >= 0 {
                idx[i] += 1
                offA += aStrides[i]
                offB += bStrides[i]
                if idx[i] < dims[i] { break }
                offA -= aStrides[i] * dims[i]
                offB -= bStrides[i] * dims[i]
                idx[i] = 0
                i -= 1
            }
        }
    }
}

/// Element offsets of a tensor of shape `shape` broadcast to `out`, in output order.
/// Used by the less frequent ops (where, expand) that do not need the merged fast path.
func broadcastOffsets(_ shape: [Int], to out: [Int]) -> [Int32] {
    let plan = BroadcastPlan(shape, [], out: out)
    var offsets = [Int32](repeating: 0, count: Shapes.count(out))
    let inner = plan.inner
    let stride = plan.aStrides.last ?? 0
    offsets.withUnsafeMutableBufferPointer { o in
        plan.forEachRow(0..<plan.outer) { a, _, base in
            for j in 0..<inner { o[base + j] = Int32(a + j * stride) }
        }
    }
    return offsets
}
