/// Dense Float64 matrix products for the d x d matrices of FID (covariances and their
/// eigenvectors; moved from GraftMetrics): row-major, blocked so that a panel of B stays in
/// cache, rows of C split over `ThreadPool.shared`. For fixed inputs the result does not depend
/// on the thread count. Public through `Float64Matrix`.
enum Float64GEMMKernel {
    /// Rows of C per parallel task.
    private static let rowChunk = 16
    /// Rows of B (columns of A) per cache panel.
    private static let kBlock = 128
    /// Columns of B and C per cache panel.
    private static let jBlock = 256

    /// C = A B for A [m, k] and B [k, n].
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        multiplyAdd(a, b, m: m, k: k, n: n, into: &c)
        return c
    }

    /// C += A B for A [m, k], B [k, n] and C [m, n]. With `lowerOnly` (for a product known to be
    /// symmetric, such as X^T X) only the elements C[i, j] with j <= i are computed: half the work.
    static func multiplyAdd(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, into c: inout [Double], lowerOnly: Bool = false) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "Float64Matrix.multiplyAdd: sizes")
        guard m > 0 && n > 0 && k > 0 else { return }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    let A = pa.baseAddress!, B = pb.baseAddress!, C = pc.baseAddress!
                    /// C[rows, :] += A[rows, :] B, panel by panel.
                    func block(_ rows: Range<Int>) {
                        var k0 = 0
                        while k0 < k {
                            let k1 = min(k, k0 + kBlock)
                            var j0 = 0
                            while j0 < n {
                                let j1 = min(n, j0 + jBlock)
                                for i in rows {
                                    let end = lowerOnly ? min(j1, i + 1) : j1
                                    if end <= j0 { continue }
                                    let ci = C + i * n
                                    for p in k0..<k1 {
                                        let aip = A[i * k + p]
                                        if aip == 0 { continue }
                                        let bp = B + p * n
                                        for j in j0..<end { ci[j] += aip * bp[j] }
                                    }
                                }
                                j0 = j1
                            }
                            k0 = k1
                        }
                    }
                    let chunks = (m + rowChunk - 1) / rowChunk
                    func rows(_ chunk: Int) -> Range<Int> { (chunk * rowChunk)..<min(m, (chunk + 1) * rowChunk) }
                    if lowerOnly {
                        // Later rows of a lower triangle hold more work: each task takes a chunk
                        // from the top and its mirror from the bottom, so threads get equal shares.
                        ThreadPool.shared.parallelFor((chunks + 1) / 2) { t in
                            block(rows(t))
                            if chunks - 1 - t != t { block(rows(chunks - 1 - t)) }
                        }
                    } else {
                        ThreadPool.shared.parallelFor(chunks) { block(rows($0)) }
                    }
                }
            }
        }
    }

    /// The transpose of A [m, n]: [n, m].
    static func transpose(_ a: [Double], rows m: Int, cols n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m * n)
        let tile = 32
        a.withUnsafeBufferPointer { pa in
            t.withUnsafeMutableBufferPointer { pt in
                var i0 = 0
                while i0 < m {
                    var j0 = 0
                    while j0 < n {
                        for i in i0..<min(m, i0 + tile) {
                            for j in j0..<min(n, j0 + tile) { pt[j * m + i] = pa[i * n + j] }
                        }
                        j0 += tile
                    }
                    i0 += tile
                }
            }
        }
        return t
    }
}
