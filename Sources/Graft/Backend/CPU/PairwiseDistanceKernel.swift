/// Dot products and squared Euclidean distances between all rows of two matrices, one block at
/// a time, so that memory stays bounded (at most `rowBlock` x `colBlock` Floats) whatever the
/// number of rows (moved from GraftMetrics' `PairwiseBlocks`).
///
/// Each block is one SGEMM. Squared distances use ||a||^2 + ||b||^2 - 2 a.b on copies of both
/// matrices centred on the mean of `b` (distances do not change, the norms shrink, and with them
/// the cancellation in the subtraction); norms are summed in Float64 and negative results of
/// rounding are clamped to 0.
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
        let centre = columnMeans(b, m, d)
        let (ca, na) = centred(a, n, d, centre)
        let (cb, nb) = centred(b, m, d, centre)
        ca.withUnsafeBufferPointer { pa in
            cb.withUnsafeBufferPointer { pb in
                na.withUnsafeBufferPointer { pna in
                    nb.withUnsafeBufferPointer { pnb in
                        blocks(pa.baseAddress!, n, pb.baseAddress!, m, d, alpha: -2) { rows, cols, block in
                            let width = cols.count
                            ThreadPool.shared.parallelFor(rows.count) { i in
                                let ni = pna[rows.lowerBound + i]
                                let line = block + i * width
                                for j in 0..<width {
                                    line[j] = max(0, line[j] + ni + pnb[cols.lowerBound + j])
                                }
                                guard refine else { return }
                                for j in 0..<width where line[j] * 16 <= ni + pnb[cols.lowerBound + j] {
                                    line[j] = Float(exactSquaredDistance(a + (rows.lowerBound + i) * d, b + (cols.lowerBound + j) * d, d))
                                }
                            }
                            body(rows, cols, block)
                        }
                    }
                }
            }
        }
    }

    /// The mean of each column of [rows, d], summed in Float64.
    static func columnMeans(_ v: UnsafePointer<Float>, _ rows: Int, _ d: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: d)
        for r in 0..<rows {
            let row = v + r * d
            for c in 0..<d { sums[c] += Double(row[c]) }
        }
        return rows > 0 ? sums.map { $0 / Double(rows) } : sums
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
