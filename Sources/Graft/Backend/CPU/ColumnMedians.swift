/// The coordinate-wise median of the rows of a matrix: the centre `PairwiseDistanceKernel`
/// subtracts before its SGEMM expansion ‖a‖² + ‖b‖² - 2 a·b. Rounding in that expansion is about
/// 1e-7 of the centred squared norms, so the centre must stay among the ordinary rows: the mean
/// moves by v / m when one of m rows holds a value v (1e6 among values near 1 inflated every
/// norm a million-fold and lost every small distance), the median does not move until half of a
/// column's values do. Above 128 rows the median is taken over 128 rows spread by the golden
/// ratio (a period in the data is unlikely to line up with them): the centre only needs to be
/// typical (such a median lies within about 0.1 standard deviation of the column's), and the
/// whole column would cost a noticeable part of the distances themselves.
enum ColumnMedians {
    /// Columns gathered at a time: one 64-byte line of each row per gather.
    static let columnGroup = 16
    /// The most rows a median looks at.
    static let sampleRows = 128

    /// The rows a median of `rows` rows looks at: all of them up to `sampleRows`, otherwise
    /// row floor(rows * frac(1/2 + i / phi)) for i < `sampleRows`.
    static func sample(_ rows: Int) -> [Int] {
        guard rows > sampleRows else { return Array(0..<rows) }
        let step = 0.618_033_988_749_894_9
        return (0..<sampleRows).map { i in
            let f = 0.5 + Double(i) * step
            return min(rows - 1, Int(Double(rows) * (f - f.rounded(.down))))
        }
    }

    /// The median (the value of rank count / 2 among the sampled rows) of each column of
    /// [rows, d], as Float64; 0 for a column whose median is not finite, so that NaN or infinite
    /// inputs do not spread to every centred row. Columns are split over the thread pool.
    static func of(_ v: UnsafePointer<Float>, _ rows: Int, _ d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: d)
        guard rows > 0 && d > 0 else { return out }
        let picked = sample(rows), count = picked.count
        let groups = (d + columnGroup - 1) / columnGroup
        out.withUnsafeMutableBufferPointer { dst in
            let o = dst.baseAddress!
            ThreadPool.shared.parallelChunks(total: groups, minChunk: max(1, 65_536 / (count * columnGroup))) { range in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: count * columnGroup)
                defer { scratch.deallocate() }
                for g in range {
                    let c0 = g * columnGroup, width = min(columnGroup, d - c0)
                    // Transposed gather: column c0 + k lands at scratch[k * count ..< (k + 1) * count].
                    for (i, r) in picked.enumerated() {
                        let row = v + r * d + c0
                        for k in 0..<width { scratch[k * count + i] = row[k] }
                    }
                    for k in 0..<width {
                        let m = select(scratch + k * count, count: count, rank: count / 2)
                        o[c0 + k] = m.isFinite ? Double(m) : 0
                    }
                }
            }
        }
        return out
    }

    /// The value of rank `rank` (0-based, ascending) among `count` values, found by quickselect
    /// with Hoare partitioning (balanced when many values are equal, as zero pixels are) around
    /// pivots picked by a fixed pseudo-random sequence; reorders the values. NaN values end in
    /// arbitrary places but cannot make it loop or leave the buffer.
    static func select(_ x: UnsafeMutablePointer<Float>, count: Int, rank: Int) -> Float {
        var lo = 0, hi = count - 1
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while lo < hi {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let pivot = x[lo + Int((state >> 33) % UInt64(hi - lo + 1))]
            var i = lo, j = hi
            while i <= j {
                while i <= hi && x[i] < pivot { i += 1 }
                while j >= lo && x[j] > pivot { j -= 1 }
                if i <= j {
                    (x[i], x[j]) = (x[j], x[i])
                    i += 1
                    j -= 1
                }
            }
            // Now x[lo...j] <= pivot <= x[i...hi], and values strictly between j and i equal it.
            if rank <= j {
                hi = j
            } else if rank >= i {
                lo = i
            } else {
                return x[rank]
            }
        }
        return x[lo]
    }
}
