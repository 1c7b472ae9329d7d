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
            @inline(__always) func better(_ v: SIMD8<Float>, _ than: SIMD8<Float>) -> SIMDMask<SIMD8<Int32>> { isMax ? v .> than : v .< than }
            var m = p[0]
            var hasNaN = false
            if n >= 8 {
                var acc = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
                i = 8
                while i + 8 <= n {
                    let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
                    hasNaN = hasNaN || any(v .!= v)
                    acc = acc.replacing(with: v, where: better(v, acc))
                    i += 8
                }
                hasNaN = hasNaN || any(acc .!= acc)
                m = isMax ? acc.max() : acc.min()
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
}
