/// Row-wise softmax and log-softmax over contiguous rows.
enum SoftmaxKernels {
    /// out[r, :] = softmax(x[r, :]) (or log-softmax) for rows of length n; returns nothing,
    /// writes `logSumExp[r]` when given.
    static func rows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows: Int, n: Int,
                     log: Bool, logSumExp: UnsafeMutablePointer<Float>? = nil) {
        let minRows = max(1, parallelElementThreshold / 4 / max(n, 1))
        ThreadPool.shared.parallelChunks(total: rows, minChunk: minRows) { range in
            for r in range {
                let src = x + r * n, dst = out + r * n
                var m = ReduceKernels.reduceContiguous(.max, src, n)
                if !m.isFinite { m = m.isNaN ? m : 0 }
                // dst = x - m, then exp in place.
                var i = 0
                let mv = SIMD8<Float>(repeating: m)
                while i + 8 <= n {
                    let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self) - mv
                    UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
                    i += 8
                }
                while i < n { dst[i] = src[i] - m; i += 1 }
                if log {
                    // Keep x - m in dst; exponentials go through a small stack buffer.
                    var s: Float = 0
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { tmp in
                        var j = 0
                        while j < n {
                            let len = min(256, n - j)
                            expArray(dst + j, tmp.baseAddress!, len)
                            s += ReduceKernels.reduceContiguous(.sum, tmp.baseAddress!, len)
                            j += len
                        }
                    }
                    let lse = libmLog(s)
                    logSumExp?[r] = lse + m
                    let lv = SIMD8<Float>(repeating: lse)
                    i = 0
                    while i + 8 <= n {
                        let v = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self) - lv
                        UnsafeMutableRawPointer(dst + i).storeBytes(of: v, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < n { dst[i] -= lse; i += 1 }
                } else {
                    expArray(dst, dst, n)
                    let s = ReduceKernels.reduceContiguous(.sum, dst, n)
                    logSumExp?[r] = libmLog(s) + m
                    let inv = SIMD8<Float>(repeating: 1 / s)
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

    /// lse[r] = log Σ_j e^x[r, j] for each row of a row-major [rows, n] matrix, without writing
    /// anything else (the row is read once from memory; the exponentials stay in a stack buffer).
    /// A row whose maximum is infinite uses 0 as its shift, as `rows` does.
    static func logSumExpRows(_ x: UnsafePointer<Float>, _ lse: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        let minRows = max(1, parallelElementThreshold / 4 / max(n, 1))
        ThreadPool.shared.parallelChunks(total: rows, minChunk: minRows) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 512) { tmp in
                let t = tmp.baseAddress!
                for r in range {
                    let src = x + r * n
                    var m = ReduceKernels.reduceContiguous(.max, src, n)
                    if !m.isFinite { m = m.isNaN ? m : 0 }
                    let mv = SIMD8<Float>(repeating: m)
                    var acc = SIMD8<Float>()
                    var j = 0
                    while j < n {
                        let len = min(512, n - j)
                        var i = 0
                        while i + 8 <= len {
                            let v = UnsafeRawPointer(src + j + i).loadUnaligned(as: SIMD8<Float>.self) - mv
                            UnsafeMutableRawPointer(t + i).storeBytes(of: v, as: SIMD8<Float>.self)
                            i += 8
                        }
                        while i < len { t[i] = src[j + i] - m; i += 1 }
                        expArray(t, t, len)
                        i = 0
                        while i + 8 <= len {
                            acc += UnsafeRawPointer(t + i).loadUnaligned(as: SIMD8<Float>.self)
                            i += 8
                        }
                        var tail: Float = 0
                        while i < len { tail += t[i]; i += 1 }
                        acc[0] += tail
                        j += len
                    }
                    lse[r] = m + libmLog(acc.sum())
                }
            }
        }
    }
}
