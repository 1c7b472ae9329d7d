import GraftAVX512

/// Sampling primitives of the CPU backend: inverse-CDF draws per row of logits, and the
/// linear-layer variant that computes logits in cache-sized blocks of rows.
extension CPUBackend {
    /// Rows of logits per block of `linearCategorical`: 56 rows of a 5000-class layer are
    /// 1.1 MB, which stay in a core's L2 cache between the GEMM that writes them and the draw
    /// that reads them; at most 64, so that the GEMM reads Wᵀ in place.
    static let linearCategoricalRows = 56

    func categorical(_ logits: Tensor, invTemperature invT: Float, uniforms: [Float], shape: [Int]) -> Tensor {
        let c = logits.shape[logits.rank - 1]
        let rows = uniforms.count
        let out = Tensor(uninitializedShape: shape)
        let x = logits.storage.pointer, o = out.storage.pointer
        ThreadPool.shared.parallelChunks(total: rows, minChunk: Swift.max(1, parallelElementThreshold / 8 / c)) { range in
            let e = UnsafeMutablePointer<Float>.allocate(capacity: c)
            let blockSums = UnsafeMutablePointer<Float>.allocate(capacity: (c + categoricalBlock - 1) / categoricalBlock)
            defer { e.deallocate(); blockSums.deallocate() }
            for r in range {
                o[r] = Float(categoricalPick(x + r * c, c, invT: invT, u: uniforms[r], e: e, blockSums: blockSums))
            }
        }
        return out
    }

    func linearCategorical(_ x: Tensor, weight: Tensor, bias: Tensor?, invTemperature invT: Float,
                           uniforms: [Float], shape: [Int]) -> Tensor {
        let (k, c) = (weight.shape[1], weight.shape[0])
        let rows = uniforms.count
        let out = Tensor(uninitializedShape: shape)
        let a = UnsafePointer(x.storage.pointer), w = UnsafePointer(weight.storage.pointer)
        let b = bias.map { UnsafePointer($0.storage.pointer) }
        // Wᵀ [in, classes] once per call: blocks of at most 64 rows then read it in place (see
        // GEMMDriver.directModes) instead of packing all of W for every block.
        let wt = UnsafeMutablePointer<Float>.allocate(capacity: k * c)
        defer { wt.deallocate() }
        for j in 0..<c {
            for p in 0..<k { wt[p * c + j] = w[j * k + p] }
        }
        let o = out.storage.pointer
        let block = CPUBackend.linearCategoricalRows
        let blocks = (rows + block - 1) / block
        ThreadPool.shared.parallelChunks(total: blocks, minChunk: 1) { range in
            let logits = UnsafeMutablePointer<Float>.allocate(capacity: block * c)
            let blockSums = UnsafeMutablePointer<Float>.allocate(capacity: (c + categoricalBlock - 1) / categoricalBlock)
            defer { logits.deallocate(); blockSums.deallocate() }
            for blk in range {
                let r0 = blk * block, n = Swift.min(block, rows - r0)
                if let b {
                    for r in 0..<n { kernelCopy(b, logits + r * c, c) }
                }
                // Nested inside the pool's parallel region, this GEMM runs on this thread.
                sgemm(transA: false, transB: false, m: n, n: c, k: k, alpha: 1, a: a + r0 * k, lda: k,
                      b: wt, ldb: c, beta: b == nil ? 0 : 1, c: logits, ldc: c)
                for r in 0..<n {
                    let row = logits + r * c
                    o[r0 + r] = Float(categoricalPick(UnsafePointer(row), c, invT: invT, u: uniforms[r0 + r], e: row, blockSums: blockSums))
                }
            }
        }
        return out
    }
}

/// Classes per block of the inverse-CDF scan in `categoricalPick`.
let categoricalBlock = 64

/// The inverse-CDF draw for one row of `c` logits: the first class j with u * Σ p < Σ_{i<=j} p,
/// p = e^((x - max) / T). Exponentials go to `e` (c floats); block sums (of `categoricalBlock`
/// classes, `blockSums` holds one per block) find the block before a scalar scan inside it.
@inline(__always)
func categoricalPick(_ row: UnsafePointer<Float>, _ c: Int, invT: Float, u: Float,
                     e: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Float>) -> Int {
    let m = ReduceKernels.reduceContiguous(.max, row, c)
    let mv = SIMD8<Float>(repeating: m), tv = SIMD8<Float>(repeating: invT)
    // e = exp((x - m) / T) in one pass; the arguments are <= 0, where expNonPositive equals exp
    // (and its 16-lane AVX-512 twin equals it bitwise, so the draws do not depend on the CPU).
    var j = GEMMKernel.preferred == .avx512 ? graftAVX512ShiftedExp(row, e, count: c, max: m, invT: invT) : 0
    while j + 8 <= c {
        let v = (UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - mv) * tv
        UnsafeMutableRawPointer(e + j).storeBytes(of: FastMath.expNonPositive(v), as: SIMD8<Float>.self)
        j += 8
    }
    if j < c {
        var v = SIMD8<Float>(repeating: 0)
        for k in 0..<(c - j) { v[k] = (row[j + k] - m) * invT }
        let r = FastMath.expNonPositive(v)
        for k in 0..<(c - j) { e[j + k] = r[k] }
    }
    let blocks = (c + categoricalBlock - 1) / categoricalBlock
    var total: Float = 0
    for b in 0..<blocks {
        let start = b * categoricalBlock
        let s = ReduceKernels.reduceContiguous(.sum, e + start, Swift.min(categoricalBlock, c - start))
        blockSums[b] = s
        total += s
    }
    let target = u * total
    var acc: Float = 0
    var pick = c - 1
    search: for b in 0..<blocks {
        if acc + blockSums[b] <= target && b < blocks - 1 { acc += blockSums[b]; continue }
        let start = b * categoricalBlock
        for k in start..<Swift.min(start + categoricalBlock, c) {
            acc += e[k]
            if target < acc { pick = k; break search }
        }
    }
    // Never pick a class of probability zero (rounding at the end of the scan).
    while e[pick] == 0 && pick > 0 { pick -= 1 }
    return pick
}

