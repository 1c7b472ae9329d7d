/// The kernels behind `TokenWindowTables`: building the token tables with one GEMM per width,
/// and the max-over-time pooling of windows summed from gathered table rows.
extension TokenWindowTables {
    /// T_w [V, w·maps] = E [V, E] × B_w [E, w·maps], B_w[e, k·maps + m] = W[m, 0, k, e], in huge pages.
    static func makeTable(embedding table: [Float], vocabulary v: Int, dim e: Int, weight: [Float], width w: Int,
                          maps m: Int) -> HugePageBuffer {
        var b = [Float](repeating: 0, count: e * w * m)
        for mi in 0..<m {
            for k in 0..<w {
                for ei in 0..<e { b[ei * w * m + k * m + mi] = weight[(mi * w + k) * e + ei] }
            }
        }
        let buffer = HugePageBuffer(count: v * w * m), t = buffer.pointer
        table.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { bp in
                sgemm(transA: false, transB: false, m: v, n: w * m, k: e, alpha: 1, a: a.baseAddress!, lda: e,
                      b: bp.baseAddress!, ldb: w * m, beta: 0, c: t, ldc: w * m)
            }
        }
        return buffer
    }

    /// Pooled features [rows, F] of `rows` sequences of `length` tokens: `fill(r, buffer)` writes
    /// row r's tokens, `prefix(r)` gives the summary of its first `given` tokens (nil when given is 0).
    func pool(rows: Int, length l: Int, given: Int, fill: (Int, UnsafeMutablePointer<Int32>) -> Void,
              prefix: (Int) -> UnsafePointer<Float>?) -> Tensor {
        let f = features
        let out = Tensor(uninitializedShape: [rows, f])
        let pooled = out.storage.pointer
        let ids = UnsafeMutablePointer<Int32>.allocate(capacity: rows * l)
        defer { ids.deallocate() }
        for r in 0..<rows { fill(r, ids + r * l) }
        // Where each width's crossing-window sums start in a prefix summary.
        var partialOffsets: [Int] = [], offset = f
        for (wi, w) in widths.enumerated() {
            partialOffsets.append(offset)
            offset += max(0, min(given, l - w + 1) - max(0, given - w + 1)) * maps[wi]
        }
        ThreadPool.shared.parallelChunks(total: rows, minChunk: 4) { range in
            let rowPointers = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: widths.max()!)
            defer { rowPointers.deallocate() }
            // Width by width, so that one width's table (at most V·w·maps floats) serves all
            // the rows while it is in cache.
            for wi in widths.indices {
                for r in range {
                    pool(width: wi, ids + r * l, length: l, given: given, prefix: prefix(r),
                         partialOffset: partialOffsets[wi], rows: rowPointers, into: pooled + r * f)
                }
            }
        }
        return out
    }

    /// One width's max-over-time pooled features, relu(max_p window + bias), of one sequence
    /// into `out` [F] at the width's offset. With a prefix summary, only the windows that reach
    /// position `given` or later are added here.
    @inline(__always)
    func pool(width wi: Int, _ ids: UnsafePointer<Int32>, length l: Int, given g: Int, prefix: UnsafePointer<Float>?,
              partialOffset: Int, rows: UnsafeMutablePointer<UnsafePointer<Float>>, into out: UnsafeMutablePointer<Float>) {
        let w = widths[wi], m = maps[wi], o = offsets[wi], table = tables[wi]
        let mx = out + o
        if let prefix { mx.update(from: prefix + o, count: m) } else { mx.update(repeating: -.infinity, count: m) }
        let first = max(0, g - w + 1)
        for p in first..<max(first, l - w + 1) {
            let k0 = max(0, g - p)
            for k in k0..<w { rows[k - k0] = UnsafePointer(table + (Int(ids[p + k]) * w + k) * m) }
            let base = p < g ? prefix.map { $0 + partialOffset + (p - first) * m } : nil
            RowGatherSum.addRows(rows, w - k0, base: base, count: m, maxInto: mx)
        }
        convolutionBias.withUnsafeBufferPointer { b in
            let bias = b.baseAddress! + o
            for j in 0..<m { mx[j] = max(mx[j] + bias[j], 0) }
        }
    }
}
