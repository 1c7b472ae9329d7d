/// The fused, numerically stable losses of the CPU backend: cross-entropy from logits (one
/// log-sum-exp pass forward, one exp pass backward) and binary cross-entropy with logits.
extension CPUBackend {
    func crossEntropyForward(_ logits: Tensor, targets idx: [Int], smoothing eps: Float, shape: [Int]) -> (Tensor, CrossEntropyRows) {
        let rows = idx.count
        let c = logits.shape[logits.rank - 1]
        let x = logits.storage.pointer
        var shift = [Float](repeating: 0, count: rows), logSum = [Float](repeating: 0, count: rows)
        shift.withUnsafeMutableBufferPointer { sp in
            logSum.withUnsafeMutableBufferPointer { lp in
                SoftmaxKernels.logSumExpRows(x, shift: sp.baseAddress!, logSum: lp.baseAddress!, rows: rows, n: c)
            }
        }
        let perRow = Tensor(uninitializedShape: shape)
        let out = perRow.storage.pointer
        for r in 0..<rows {
            guard idx[r] >= 0 else { out[r] = 0; continue }
            // -(1-ε) log p_t - ε/C Σ_j log p_j, with log p_j = (x_j - m) - logSum.
            let m = shift[r], row = x + r * c
            var loss = logSum[r] - (1 - eps) * (row[idx[r]] - m)
            if eps > 0 {
                var shifted: Float = 0
                for j in 0..<c { shifted += row[j] - m }
                loss -= eps / Float(c) * shifted
            }
            out[r] = loss
        }
        return (perRow, CrossEntropyRows(shift: shift, logSum: logSum))
    }

    func crossEntropyBackward(_ logits: Tensor, _ saved: CrossEntropyRows, targets idx: [Int],
                              rowGrad: [Float], smoothing eps: Float) -> Tensor {
        let rows = idx.count
        let c = logits.shape[logits.rank - 1]
        let shift = saved.shift, logSum = saved.logSum
        let grad = Tensor(uninitializedShape: logits.shape)
        let gp = grad.storage.pointer, xp = logits.storage.pointer
        // One pass per row: s * (e^((x - m) - logSum) - ε/C), then -s(1-ε) at the target.
        ThreadPool.shared.parallelChunks(total: rows, minChunk: Swift.max(1, parallelElementThreshold / 4 / Swift.max(c, 1))) { range in
            for r in range {
                let s = rowGrad[r], row = gp + r * c, src = xp + r * c
                guard s != 0 else { row.update(repeating: 0, count: c); continue }
                let mv = SIMD8<Float>(repeating: shift[r]), lv = SIMD8<Float>(repeating: logSum[r])
                let sv = SIMD8<Float>(repeating: s)
                let off = SIMD8<Float>(repeating: s * eps / Float(c))
                var j = 0
                while j + 8 <= c {
                    let v = (UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self) - mv) - lv
                    UnsafeMutableRawPointer(row + j).storeBytes(of: FastMath.exp(v) * sv - off, as: SIMD8<Float>.self)
                    j += 8
                }
                while j < c {
                    row[j] = FastMath.exp(SIMD8<Float>(repeating: (src[j] - shift[r]) - logSum[r]))[0] * s - off[0]
                    j += 1
                }
                row[idx[r]] -= s * (1 - eps)
            }
        }
        return grad
    }

    func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor) -> Tensor {
        let perElement = Tensor(uninitializedShape: logits.shape)
        let x = logits.storage.pointer, z = targets.storage.pointer, o = perElement.storage.pointer
        for i in 0..<logits.count {
            let v = x[i]
            o[i] = Swift.max(v, 0) - v * z[i] + libmLog1p(libmExp(-Swift.abs(v)))
        }
        return perElement
    }
}
