import Graft

/// Dot products and squared Euclidean distances between all rows of two matrices, one block at
/// a time, so that memory stays bounded (at most `rowBlock` x `colBlock` Floats) whatever the
/// number of rows.
///
/// Each block is one SGEMM. Squared distances use ||a||^2 + ||b||^2 - 2 a.b on copies of both
/// matrices centred on the mean of `b` (distances do not change, the norms shrink, and with them
/// the cancellation in the subtraction); norms are summed in Float64 and negative results of
/// rounding are clamped to 0.
enum PairwiseBlocks {
    /// Rows of `a` per block.
    static let rowBlock = 1024
    /// Rows of `b` per block.
    static let colBlock = 4096

    /// Calls `body(rows, cols, block)` for every block, where
    /// `block[(i - rows.lowerBound) * cols.count + (j - cols.lowerBound)]` is `alpha * a_i . b_j`.
    /// Blocks come in order: all column blocks of the first row block, then the next row block.
    static func dots(_ a: FeatureMatrix, _ b: FeatureMatrix, alpha: Float = 1,
                     _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        precondition(a.cols == b.cols, "PairwiseBlocks: widths \(a.cols) and \(b.cols)")
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                blocks(pa.baseAddress!, a.rows, pb.baseAddress!, b.rows, a.cols, alpha: alpha, body)
            }
        }
    }

    /// Calls `body(rows, cols, block)` for every block, where
    /// `block[(i - rows.lowerBound) * cols.count + (j - cols.lowerBound)]` is the squared
    /// Euclidean distance between row i of `a` and row j of `b` (>= 0).
    static func squaredDistances(_ a: FeatureMatrix, _ b: FeatureMatrix,
                                 _ body: (Range<Int>, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        precondition(a.cols == b.cols, "PairwiseBlocks: widths \(a.cols) and \(b.cols)")
        let d = a.cols
        let centre = b.columnMeans()
        let (ca, na) = centred(a, centre)
        let (cb, nb) = centred(b, centre)
        ca.withUnsafeBufferPointer { pa in
            cb.withUnsafeBufferPointer { pb in
                na.withUnsafeBufferPointer { pna in
                    nb.withUnsafeBufferPointer { pnb in
                        blocks(pa.baseAddress!, a.rows, pb.baseAddress!, b.rows, d, alpha: -2) { rows, cols, block in
                            let width = cols.count
                            ThreadPool.shared.parallelFor(rows.count) { i in
                                let ni = pna[rows.lowerBound + i]
                                let line = block + i * width
                                for j in 0..<width {
                                    line[j] = max(0, line[j] + ni + pnb[cols.lowerBound + j])
                                }
                            }
                            body(rows, cols, block)
                        }
                    }
                }
            }
        }
    }

    /// A copy of `m` with `centre` subtracted from every row, and each row's squared norm.
    private static func centred(_ m: FeatureMatrix, _ centre: [Double]) -> ([Float], [Float]) {
        var out = [Float](repeating: 0, count: m.values.count)
        var norms = [Float](repeating: 0, count: m.rows)
        let d = m.cols
        m.values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                norms.withUnsafeMutableBufferPointer { nrm in
                    let s = src.baseAddress!, t = dst.baseAddress!, q = nrm.baseAddress!
                    ThreadPool.shared.parallelChunks(total: m.rows, minChunk: 64) { range in
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
        }
        return (out, norms)
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
