/// Reductions over the middle axis of a tensor viewed as [outer, n, inner].
enum ReduceKernels {
    /// What to compute along the reduced axis.
    enum Kind { case sum, max, min }

    /// Reduces `x` viewed as [outer, n, inner] into `out` [outer, inner].
    static func reduce(_ kind: Kind, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                       outer: Int, n: Int, inner: Int) {
        let minOuter = max(1, parallelElementThreshold / max(n * inner, 1))
        ThreadPool.shared.parallelChunks(total: outer, minChunk: minOuter) { rows in
            for o in rows {
                let base = x + o * n * inner
                let dst = out + o * inner
                if inner == 1 {
                    dst[0] = reduceContiguous(kind, base, n)
                } else {
                    reduceStrided(kind, base, dst, n: n, inner: inner)
                }
            }
        }
    }

    /// Reduces n contiguous values (8 SIMD lanes, then across lanes).
    @inline(__always)
    static func reduceContiguous(_ kind: Kind, _ p: UnsafePointer<Float>, _ n: Int) -> Float {
        if n == 0 { return kind == .sum ? 0 : (kind == .max ? -.infinity : .infinity) }
        var i = 0
        switch kind {
        case .sum:
            var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
            while i + 16 <= n {
                acc0 += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
                acc1 += UnsafeRawPointer(p + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                i += 16
            }
            if i + 8 <= n { acc0 += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self); i += 8 }
            var s = (acc0 + acc1).sum()
            while i < n { s += p[i]; i += 1 }
            return s
        case .max, .min:
            // The extremum with NaN propagation: any NaN makes the result NaN.
            let isMax = kind == .max
            var m = p[0]
            var hasNaN = false
            if n >= 8 {
                let (extremum, sawNaN) = isMax ? extremumLanes(p, n, max: true) : extremumLanes(p, n, max: false)
                i = n & ~7
                m = extremum
                hasNaN = sawNaN
            }
            while i < n {
                if isMax ? p[i] > m : p[i] < m { m = p[i] }
                hasNaN = hasNaN || p[i].isNaN
                i += 1
            }
            return hasNaN ? .nan : m
        }
    }

    /// Reduces n rows of `inner` contiguous values into one row.
    @inline(__always)
    static func reduceStrided(_ kind: Kind, _ p: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, n: Int, inner: Int) {
        if n == 0 {
            dst.update(repeating: kind == .sum ? 0 : (kind == .max ? -.infinity : .infinity), count: inner)
            return
        }
        dst.update(from: p, count: inner)
        for r in 1..<max(n, 1) {
            let row = p + r * inner
            var j = 0
            while j + 8 <= inner {
                let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                let d = UnsafeRawPointer(dst + j).loadUnaligned(as: SIMD8<Float>.self)
                let r: SIMD8<Float>
                switch kind {
                case .sum: r = d + v
                case .max: r = d.replacing(with: v, where: (v .> d) .| (v .!= v))
                case .min: r = d.replacing(with: v, where: (v .< d) .| (v .!= v))
                }
                UnsafeMutableRawPointer(dst + j).storeBytes(of: r, as: SIMD8<Float>.self)
                j += 8
            }
            while j < inner {
                switch kind {
                case .sum: dst[j] += row[j]
                case .max: if row[j] > dst[j] || row[j].isNaN { dst[j] = row[j] }
                case .min: if row[j] < dst[j] || row[j].isNaN { dst[j] = row[j] }
                }
                j += 1
            }
        }
    }

    /// The index of the first maximum (or minimum) along the middle axis.
    static func argReduce(max findMax: Bool, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                          outer: Int, n: Int, inner: Int) {
        for o in 0..<outer {
            for j in 0..<inner {
                let base = x + o * n * inner + j
                var best = base[0], bi = 0
                if !best.isNaN {
                    for r in 1..<max(n, 1) {
                        let v = base[r * inner]
                        if v.isNaN { bi = r; break }
                        if findMax ? v > best : v < best { best = v; bi = r }
                    }
                }
                out[o * inner + j] = Float(bi)
            }
        }
    }

    /// The extremum of the first n & ~7 values (n >= 8) in SIMD lanes, and whether any was NaN.
    /// Four independent accumulators (the compare-and-blend chain is latency bound); `max` is a
    /// constant at each call site so that each direction compiles to plain compares and blends.
    @inline(__always)
    static func extremumLanes(_ p: UnsafePointer<Float>, _ n: Int, max: Bool) -> (Float, Bool) {
        let first = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        var a0 = first, a1 = first, a2 = first, a3 = first
        // NaN never wins a comparison, so a NaN lane shows up as a lane that differs from itself.
        var nan = first .!= first
        var i = 8
        while i + 32 <= n {
            let v0 = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            let v1 = UnsafeRawPointer(p + i + 8).loadUnaligned(as: SIMD8<Float>.self)
            let v2 = UnsafeRawPointer(p + i + 16).loadUnaligned(as: SIMD8<Float>.self)
            let v3 = UnsafeRawPointer(p + i + 24).loadUnaligned(as: SIMD8<Float>.self)
            if max {
                a0.replace(with: v0, where: v0 .> a0)
                a1.replace(with: v1, where: v1 .> a1)
                a2.replace(with: v2, where: v2 .> a2)
                a3.replace(with: v3, where: v3 .> a3)
            } else {
                a0.replace(with: v0, where: v0 .< a0)
                a1.replace(with: v1, where: v1 .< a1)
                a2.replace(with: v2, where: v2 .< a2)
                a3.replace(with: v3, where: v3 .< a3)
            }
            // (v0 + v1 + v2 + v3) is NaN when any lane input is NaN (or for inf - inf, which the
            // final check below tells apart).
            let s = (v0 + v1) + (v2 + v3)
            nan = nan .| (s .!= s)
            i += 32
        }
        while i + 8 <= n {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            if max { a0.replace(with: v, where: v .> a0) } else { a0.replace(with: v, where: v .< a0) }
            nan = nan .| (v .!= v)
            i += 8
        }
        if max {
            a0.replace(with: a1, where: a1 .> a0); a2.replace(with: a3, where: a3 .> a2); a0.replace(with: a2, where: a2 .> a0)
        } else {
            a0.replace(with: a1, where: a1 .< a0); a2.replace(with: a3, where: a3 .< a2); a0.replace(with: a2, where: a2 .< a0)
        }
        var sawNaN = false
        if any(nan) {
            // A NaN sum can also come from +inf + -inf: look for a real NaN.
            var k = 0
            while k < i && !sawNaN { sawNaN = p[k].isNaN; k += 1 }
        }
        // Across lanes by hand: the standard library's SIMD max() is an outlined generic call.
        var m = a0[0]
        for k in 1..<8 { if max ? a0[k] > m : a0[k] < m { m = a0[k] } }
        return (m, sawNaN)
    }
}

