/// Row-wise softmax and log-softmax over contiguous rows.
enum SoftmaxKernels {
    /// out[r, :] = softmax(x[r, :]) (or log-softmax) for rows of length n. `out` may be `x`.
    static func rows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, n: Int, log: Bool) {
        let minRows = max(1, parallelElementThreshold / 4 / max(n, 1))
        ThreadPool.shared.parallelChunks(total: rows, minChunk: minRows) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: expBlock) { tmp in
                for r in range {
                    let src = x + r * n, dst = out + r * n
                    if log {
                        // log p = (x - m) - log Σ e^(x - m) in one pass once the sum is known
                        // (subtracting m first keeps large logits exact).
                        let (m, logSum) = rowLogSumExp(src, n, tmp.baseAddress!)
                        let mv = SIMD8<Float>(repeating: m), lv = SIMD8<Float>(repeating: logSum)
                        var i = 0
                        while i + 8 <= n {
                            let v = (UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self) - mv) - lv
                            UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
                            i += 8
                        }
                        while i < n { dst[i] = (src[i] - m) - logSum; i += 1 }
                        continue
                    }
                    var m = ReduceKernels.reduceContiguous(.max, src, n)
                    if !m.isFinite { m = m.isNaN ? m : 0 }
                    // dst = x - m, exp in place, then divide by the sum.
                    var i = 0
                    let mv = SIMD8<Float>(repeating: m)
                    while i + 8 <= n {
                        let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self) - mv
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < n { dst[i] = src[i] - m; i += 1 }
                    expArray(dst, dst, n)
                    let inv = SIMD8<Float>(repeating: 1 / ReduceKernels.reduceContiguous(.sum, dst, n))
                    i = 0
                    while i + 8 <= n {
                        let v = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self) * inv
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < n { dst[i] *= inv[0]; i += 1 }
                }
            }
        }
    }

    /// For each row of a row-major [rows, n] matrix, its shift m and log Σ_j e^(x[r, j] - m)
    /// (see `rowLogSumExp`), without writing anything else: the row is read once from memory
    /// and the exponentials stay in a stack buffer. Keeping the two apart lets callers form
    /// (x - m) - logSum, exact for large logits, where x - (m + logSum) would round.
    static func logSumExpRows(_ x: UnsafePointer<Float>, shift: UnsafeMutablePointer<Float>,
                              logSum: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        let minRows = max(1, parallelElementThreshold / 4 / max(n, 1))
        ThreadPool.shared.parallelChunks(total: rows, minChunk: minRows) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: expBlock) { tmp in
                for r in range { (shift[r], logSum[r]) = rowLogSumExp(x + r * n, n, tmp.baseAddress!) }
            }
        }
    }

    /// Floats of the scratch buffer `rowLogSumExp` needs.
    static let expBlock = 512

    /// The row's shift m (its maximum, or 0 when that is infinite; NaN propagates) and
    /// log Σ_j e^(src[j] - m): their sum is the log-sum-exp. The shifted exponentials go
    /// through `tmp` (`expBlock` floats), `expBlock` at a time.
    @inline(__always)
    static func rowLogSumExp(_ src: UnsafePointer<Float>, _ n: Int, _ tmp: UnsafeMutablePointer<Float>) -> (shift: Float, logSum: Float) {
        var m = ReduceKernels.reduceContiguous(.max, src, n)
        if !m.isFinite { m = m.isNaN ? m : 0 }
        let mv = SIMD8<Float>(repeating: m)
        var sum: Float = 0
        var j = 0
        while j < n {
            let len = min(expBlock, n - j)
            var i = 0
            while i + 8 <= len {
                let v = UnsafeRawPointer(src + j + i).loadUnaligned(as: SIMD8<Float>.self) - mv
                UnsafeMutableRawPointer(tmp + i).storeBytes(of: v, as: SIMD8<Float>.self)
                i += 8
            }
            while i < len { tmp[i] = src[j + i] - m; i += 1 }
            expArray(tmp, tmp, len)
            sum += ReduceKernels.reduceContiguous(.sum, tmp, len)
            j += len
        }
        return (m, libmLog(sum))
    }
}
