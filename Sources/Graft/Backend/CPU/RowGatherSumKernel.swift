/// Sums of gathered rows: the inner loop of `TokenWindowTables`, where a window of w tokens is
/// the sum of w table rows, eight lanes at a time.
enum RowGatherSum {
    /// dst = max(dst, base + Σ rows) over `count` floats (base zero when nil).
    @inline(__always)
    static func addRows(_ rows: UnsafePointer<UnsafePointer<Float>>, _ n: Int, base: UnsafePointer<Float>?, count: Int,
                        maxInto dst: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= count {
            var s = base.map { UnsafeRawPointer($0 + j).loadUnaligned(as: SIMD8<Float>.self) } ?? SIMD8<Float>()
            for r in 0..<n { s += UnsafeRawPointer(rows[r] + j).loadUnaligned(as: SIMD8<Float>.self) }
            let d = UnsafeMutableRawPointer(dst + j)
            let old = d.loadUnaligned(as: SIMD8<Float>.self)
            d.storeBytes(of: s.replacing(with: old, where: old .> s), as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            var s: Float = base?[j] ?? 0
            for r in 0..<n { s += rows[r][j] }
            dst[j] = max(dst[j], s)
            j += 1
        }
    }

    /// dst = Σ rows over `count` floats.
    @inline(__always)
    static func sumRows(_ rows: UnsafePointer<UnsafePointer<Float>>, _ n: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= count {
            var s = SIMD8<Float>()
            for r in 0..<n { s += UnsafeRawPointer(rows[r] + j).loadUnaligned(as: SIMD8<Float>.self) }
            UnsafeMutableRawPointer(dst + j).storeBytes(of: s, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            var s: Float = 0
            for r in 0..<n { s += rows[r][j] }
            dst[j] = s
            j += 1
        }
    }
}
