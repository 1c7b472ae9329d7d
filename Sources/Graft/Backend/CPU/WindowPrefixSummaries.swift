/// Per sentence, the part of the pooled features that its first `given` tokens determine: the
/// maxima [F] of the windows inside the prefix (-inf where none), then for each width the sums
/// of the prefix tokens of the windows that cross position `given` ([count, maps] per width).
final class WindowPrefixSummaries {
    /// Floats per sentence.
    let stride: Int
    /// [sentences, stride].
    let values: UnsafeMutablePointer<Float>

    /// Summaries of the first `given` tokens of each of `sentences` rows of `tokens` [B, length].
    init(tables s: TokenWindowTables, tokens: [Int32], sentences b: Int, length l: Int, given g: Int) {
        var stride = s.features
        for (wi, w) in s.widths.enumerated() { stride += max(0, min(g, l - w + 1) - max(0, g - w + 1)) * s.maps[wi] }
        self.stride = stride
        values = UnsafeMutablePointer<Float>.allocate(capacity: max(1, b * stride))
        let base = values
        tokens.withUnsafeBufferPointer { ids in
            ThreadPool.shared.parallelChunks(total: b, minChunk: 1) { range in
                let rows = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: s.widths.max()!)
                defer { rows.deallocate() }
                for i in range {
                    let out = base + i * stride, tok = ids.baseAddress! + i * l
                    var partialOffset = s.features
                    for (wi, w) in s.widths.enumerated() {
                        let m = s.maps[wi], table = s.tables[wi], mx = out + s.offsets[wi]
                        mx.update(repeating: -.infinity, count: m)
                        // Windows wholly inside the prefix: p + w <= g.
                        if g - w >= 0 {
                            for p in 0...(g - w) {
                                for k in 0..<w { rows[k] = UnsafePointer(table + (Int(tok[p + k]) * w + k) * m) }
                                RowGatherSum.addRows(rows, w, base: nil, count: m, maxInto: mx)
                            }
                        }
                        // Windows that start in the prefix and end after it: their first g - p tokens.
                        let first = max(0, g - w + 1), end = min(g, l - w + 1)
                        if first < end {
                            for p in first..<end {
                                for k in 0..<(g - p) { rows[k] = UnsafePointer(table + (Int(tok[p + k]) * w + k) * m) }
                                RowGatherSum.sumRows(rows, g - p, count: m, into: out + partialOffset + (p - first) * m)
                            }
                            partialOffset += (end - first) * m
                        }
                    }
                }
            }
        }
    }

    deinit { values.deallocate() }

    /// Sentence i's summary.
    func summary(_ i: Int) -> UnsafePointer<Float> { UnsafePointer(values + i * stride) }
}
