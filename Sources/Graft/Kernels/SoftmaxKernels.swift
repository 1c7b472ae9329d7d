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
}
