/// Sampling from a linear layer's softmax without materializing all the logits.
extension Tensor {
    /// Rows of logits per block of `categorical(features:weight:bias:temperature:generator:)`:
    /// 56 rows of a 5000-class layer are 1.1 MB, which stay in a core's L2 cache between the
    /// GEMM that writes them and the draw that reads them; at most 64, so that the GEMM reads
    /// Wᵀ in place.
    static let linearCategoricalRows = 56

    /// One class per row drawn from softmax((x Wᵀ + b) / temperature) for features x [..., in],
    /// weight [classes, in] and bias [classes]: the same draws as
    /// `categorical(logits: linear(x, weight: weight, bias: bias), temperature:, generator:)`
    /// (the same uniform numbers, in row order, and the same logits, bias first then the GEMM),
    /// computed in blocks of rows whose logits stay in cache instead of one [..., classes] tensor
    /// written to memory and read back. No gradient flows (sampling is not differentiable).
    public static func categorical(features x: Tensor, weight: Tensor, bias: Tensor? = nil, temperature: Float = 1,
                                   generator: RandomGenerator = .global) -> Tensor {
        guard x.rank >= 1, weight.rank == 2, x.shape[x.rank - 1] == weight.shape[1], weight.shape[0] > 0 else {
            graftFatal(ShapeError(op: "categorical", "features \(shapeString(x.shape)) and weight \(shapeString(weight.shape)) do not match (weight must be [classes, \(x.rank >= 1 ? x.shape[x.rank - 1] : -1)])"))
        }
        let (k, c) = (weight.shape[1], weight.shape[0])
        if let bias, bias.shape != [c] {
            graftFatal(ShapeError(op: "categorical", "bias of shape \(shapeString(bias.shape)) for \(c) classes"))
        }
        if !(temperature > 0) { graftFatal(ShapeError(op: "categorical", "temperature must be positive, got \(temperature)")) }
        let rows = x.count / Swift.max(k, 1)
        let out = Tensor(uninitializedShape: Array(x.shape.dropLast()))
        let uniforms = (0..<rows).map { _ in generator.nextFloat() }
        let a = UnsafePointer(x.storage.pointer), w = UnsafePointer(weight.storage.pointer)
        let b = bias.map { UnsafePointer($0.storage.pointer) }
        // Wᵀ [in, classes] once per call: blocks of at most 64 rows then read it in place (see
        // GEMMDriver.directModes) instead of packing all of W for every block.
        let wt = UnsafeMutablePointer<Float>.allocate(capacity: k * c)
        defer { wt.deallocate() }
        for j in 0..<c {
            for p in 0..<k { wt[p * c + j] = w[j * k + p] }
        }
        let o = out.storage.pointer, invT = 1 / temperature
        let block = linearCategoricalRows
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
