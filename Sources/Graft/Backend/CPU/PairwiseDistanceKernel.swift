/// Dot products and squared Euclidean distances between all rows of two matrices, one block at
/// a time, so that memory stays bounded (at most `rowBlock` x `colBlock` Floats) whatever the
/// number of rows (moved from GraftMetrics' `PairwiseBlocks`).
///
/// Each block is one SGEMM. Squared distances use ||a||^2 + ||b||^2 - 2 a.b on copies of both
/// matrices centred on the coordinate-wise median of `b` (`ColumnMedians`: distances do not
/// change, the norms shrink, and with them the cancellation in the subtraction; unlike the mean,
/// one outlier cannot move the centre); norms are summed in Float64, negative results of rounding
/// are clamped to 0, and results that overflowed (infinite or NaN: values near 1e19 square past
/// Float32's range) are recomputed exactly in Float64, so that they read as +inf, not as 0.
enum PairwiseDistanceKernel {
    /// Rows of `a` per block.
    static let rowBlock = 1024
    /// Rows of `b` per block.
    static let colBlock = 4096

    /// Calls `body(rows, cols, block)` for every block of `alpha * a_i . b_j` ([n, d] and [m, d]).
    /// Blocks come in order: all column blocks of the first row block, then the next row block.
    static func dots(_ a: UnsafePointer<Float>, _ n: Int, _ b: UnsafePointer<Float>, _ m: Int, _ d: Int, alpha: Float,
                     _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        blocks(a, n, b, m, d, alpha: alpha, body)
    }

    /// Calls `body(rows, cols, block)` for every block of squared distances (>= 0). With `refine`,
    /// entries smaller than 1/16 of the two centred squared norms, where the subtraction has
    /// cancelled more than 4 bits, are recomputed exactly in Float64 from the rows themselves.
    static func squaredDistances(_ a: UnsafePointer<Float>, _ n: Int, _ b: UnsafePointer<Float>, _ m: Int, _ d: Int,
                                 refine: Bool = false, _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let centre = ColumnMedians.of(b, m, d)
        let (ca, na) = centred(a, n, d, centre)
        let (cb, nb) = centred(b, m, d, centre)
        ca.withUnsafeBufferPointer { pa in
            cb.withUnsafeBufferPointer { pb in
                na.withUnsafeBufferPointer { pna in
                    nb.withUnsafeBufferPointer { pnb in
                        blocks(pa.baseAddress!, n, pb.baseAddress!, m, d, alpha: -2) { rows, cols, block in
                            let width = cols.count
                            ThreadPool.shared.parallelFor(rows.count) { i in
                                let ar = a + (rows.lowerBound + i) * d, bc = b + cols.lowerBound * d
                                finishLine(block + i * width, width, ni: pna[rows.lowerBound + i], nb: pnb.baseAddress! + cols.lowerBound,
                                           refine: refine) { j in Float(exactSquaredDistance(ar, bc + j * d, d)) }
                            }
                            body(rows, cols, block)
                        }
                    }
                }
            }
        }
    }

    /// Turns one row's block of -2 a·b into squared distances: adds the row's norm `ni` and the
    /// columns' norms `nb` (in that order), clamps negative rounding to 0, and replaces with
    /// `exact(j)` the entries that overflowed (inf or NaN; -inf is marked NaN on the way) and,
    /// with `refine`, those below 1/16 of their norms. The first pass runs on SIMD8 lanes and only
    /// notes whether a second is needed: the largest exponent field is all ones (0x7f8) only for
    /// inf and NaN.
    @inline(__always)
    static func finishLine(_ line: UnsafeMutablePointer<Float>, _ width: Int, ni: Float, nb: UnsafePointer<Float>, refine: Bool,
                           exact: (Int) -> Float) {
        typealias V = SIMD8<Float>
        let exponentBits = SIMD8<UInt32>(repeating: 0x7f80_0000)
        var exponents = SIMD8<UInt32>(repeating: 0)
        var close = SIMDMask<SIMD8<Int32>>(repeating: false)
        var j = 0
        while j + 8 <= width {
            let n = UnsafeRawPointer(nb + j).loadUnaligned(as: V.self)
            let v = UnsafeRawPointer(line + j).loadUnaligned(as: V.self) + ni + n
            let c = v.replacing(with: 0, where: v .< 0).replacing(with: .nan, where: v .== -.infinity)
            UnsafeMutableRawPointer(line + j).storeBytes(of: c, as: V.self)
            exponents = pointwiseMax(exponents, unsafeBitCast(v, to: SIMD8<UInt32>.self) & exponentBits)
            if refine { close .|= c * 16 .<= ni + n }
            j += 8
        }
        var again = exponents.max() == 0x7f80_0000 || any(close)
        while j < width {
            let v = line[j] + ni + nb[j]
            line[j] = v >= 0 ? v : (v > -.infinity ? 0 : .nan)
            again = again || !line[j].isFinite || (refine && line[j] * 16 <= ni + nb[j])
            j += 1
        }
        guard again else { return }
        for j in 0..<width where !line[j].isFinite || (refine && line[j] * 16 <= ni + nb[j]) { line[j] = exact(j) }
    }

    /// A copy of [rows, d] with `centre` subtracted from every row, and each row's squared norm.
    static func centred(_ s: UnsafePointer<Float>, _ rows: Int, _ d: Int, _ centre: [Double]) -> ([Float], [Float]) {
        var out = [Float](repeating: 0, count: rows * d)
        var norms = [Float](repeating: 0, count: rows)
        out.withUnsafeMutableBufferPointer { dst in
            norms.withUnsafeMutableBufferPointer { nrm in
                let t = dst.baseAddress!, q = nrm.baseAddress!
                ThreadPool.shared.parallelChunks(total: rows, minChunk: 64) { range in
                    for r in range {
                        var sum = 0.0
                        for c in 0..<d {
                            let v = Float(Double(s[r * d + c]) - centre[c])
                            t[r * d + c] = v
                            sum += Double(v) * Double(v)
                        }
                        q[r] = Float(sum)
                    }
                }
            }
        }
        return (out, norms)
    }

    /// The exact squared distance between two rows of length d, accumulated in Float64.
    static func exactSquaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
        var s = 0.0
        for c in 0..<d {
            let t = Double(a[c]) - Double(b[c])
            s += t * t
        }
        return s
    }

    /// The block loop: one SGEMM (A_rows times B_cols transposed, scaled by alpha) per block.
    private static func blocks(_ a: UnsafePointer<Float>, _ n: Int, _ b: UnsafePointer<Float>, _ m: Int, _ d: Int,
                               alpha: Float, _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        guard n > 0 && m > 0 else { return }
        let rb = min(rowBlock, n), cb = min(colBlock, m)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: rb * cb)
        defer { buffer.deallocate() }
        var r0 = 0
        while r0 < n {
            let rows = r0..<min(n, r0 + rb)
            var c0 = 0
            while c0 < m {
                let cols = c0..<min(m, c0 + cb)
                sgemm(transA: false, transB: true, m: rows.count, n: cols.count, k: d, alpha: alpha,
                      a: a + r0 * d, lda: d, b: b + c0 * d, ldb: d, beta: 0, c: buffer, ldc: cols.count)
                body(rows, cols, buffer)
                c0 += cb
            }
            r0 += rb
        }
    }
}
