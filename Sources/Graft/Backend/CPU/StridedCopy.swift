/// Copies between a contiguous tensor and a strided window of another: the kernel behind
/// permute, slice, pad and concat.
enum StridedCopy {
    /// Merges adjacent axes that are contiguous in the strided operand (fewer, longer loops).
    static func merge(_ dims: [Int], _ strides: [Int]) -> ([Int], [Int]) {
        var d: [Int] = [], s: [Int] = []
        for (n, st) in zip(dims, strides) where n != 1 {
            if let lastS = s.last, lastS == st * n {
                d[d.count - 1] *= n
                s[s.count - 1] = st
            } else {
                d.append(n); s.append(st)
            }
        }
        if d.isEmpty { return ([1], [1]) }
        return (d, s)
    }

    /// Visits every inner row: body(stridedOffset, contiguousOffset, rowLength, innerStride).
    @inline(__always)
    static func forEachRow(_ dims: [Int], _ strides: [Int], base: Int, _ body: (Int, Int, Int, Int) -> Void) {
        let (d, s) = merge(dims, strides)
        let inner = d[d.count - 1], innerStride = s[s.count - 1]
        let outerDims = Array(d.dropLast()), outerStrides = Array(s.dropLast())
        let outer = Shapes.count(outerDims)
        var idx = [Int](repeating: 0, count: outerDims.count)
        var off = base
        for row in 0..<outer {
            body(off, row * inner, inner, innerStride)
            var i = outerDims.count - 1
            while i >= 0 {
                idx[i] += 1
                off += outerStrides[i]
                if idx[i] < outerDims[i] { break }
                off -= outerStrides[i] * outerDims[i]
                idx[i] = 0
                i -= 1
            }
        }
    }

    /// dst (contiguous, shape dims) = src[base + sum i_k * strides_k].
    static func gather(_ src: UnsafePointer<Float>, base: Int, strides: [Int], dims: [Int], into dst: UnsafeMutablePointer<Float>) {
        if Shapes.count(dims) == 0 { return }
        forEachRow(dims, strides, base: base) { so, doff, n, st in
            if st == 1 {
                (dst + doff).update(from: src + so, count: n)
            } else {
                var p = src + so
                for j in 0..<n { dst[doff + j] = p.pointee; p += st }
            }
        }
    }

    /// dst[base + sum i_k * strides_k] (+)= src (contiguous, shape dims).
    static func scatter(_ src: UnsafePointer<Float>, dims: [Int], into dst: UnsafeMutablePointer<Float>,
                        base: Int, strides: [Int], accumulate: Bool) {
        if Shapes.count(dims) == 0 { return }
        forEachRow(dims, strides, base: base) { doff, so, n, st in
            if st == 1 && !accumulate {
                (dst + doff).update(from: src + so, count: n)
            } else if accumulate {
                for j in 0..<n { dst[doff + j * st] += src[so + j] }
            } else {
                for j in 0..<n { dst[doff + j * st] = src[so + j] }
            }
        }
    }
}
