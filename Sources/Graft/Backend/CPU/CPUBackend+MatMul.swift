/// Matrix products and the convolution lowerings (im2col, im2row) of the CPU backend.
extension CPUBackend {
    func matmul(_ a: Tensor, _ b: Tensor, transposeA ta: Bool, transposeB tb: Bool,
                batch: Int, m: Int, n: Int, k: Int, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let r = a.rank
        let lda = a.shape[r - 1], ldb = b.shape[r - 1]
        let sa = a.shape[r - 2] * lda, sb = b.shape[r - 2] * ldb
        let pa = a.storage.pointer, pb = b.storage.pointer, pc = out.storage.pointer
        for i in 0..<batch {
            sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, a: pa + i * sa, lda: lda, b: pb + i * sb, ldb: ldb,
                  beta: 0, c: pc + i * m * n, ldc: n)
        }
        return out
    }

    func linear(_ x: Tensor, weight: Tensor, bias: Tensor, rows: Int, shape: [Int]) -> Tensor {
        let (k, n) = (weight.shape[1], weight.shape[0])
        let out = Tensor(uninitializedShape: shape)
        let c = out.storage.pointer, b = UnsafePointer(bias.storage.pointer)
        // The bias goes into the output first; the GEMM then accumulates onto it (beta 1).
        ThreadPool.shared.parallelChunks(total: rows, minChunk: Swift.max(1, parallelElementThreshold / Swift.max(n, 1))) { range in
            for r in range { kernelCopy(b, c + r * n, n) }
        }
        sgemm(transA: false, transB: true, m: rows, n: n, k: k, alpha: 1, a: x.storage.pointer, lda: k,
              b: weight.storage.pointer, ldb: k, beta: 1, c: c, ldc: n)
        return out
    }

    /// Runs `body` over ranges of images, about `parallelElementThreshold` elements of `size` each.
    private func forImages(_ g: Conv2dGeometry, size: Int, _ body: (Range<Int>) -> Void) {
        // Split over images: disjoint blocks, and an even split even for 3 channels.
        let minChunk = Swift.max(1, g.batch * parallelElementThreshold / Swift.max(size, 1))
        ThreadPool.shared.parallelChunks(total: g.batch, minChunk: minChunk, body)
    }

    func im2col(_ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
        let out = Tensor(uninitializedShape: [g.channels * g.kernelH * g.kernelW, g.batch * g.outH * g.outW])
        let px = UnsafePointer(x.storage.pointer), cols = out.storage.pointer
        forImages(g, size: out.count) { ns in Graft.im2col(px, cols, g, channels: 0..<g.channels, batches: ns) }
        return out
    }

    func col2im(_ cols: Tensor, _ g: Conv2dGeometry) -> Tensor {
        let out = full([g.batch, g.channels, g.height, g.width], 0)
        let pc = UnsafePointer(cols.storage.pointer), x = out.storage.pointer
        forImages(g, size: cols.count) { ns in Graft.col2im(pc, x, g, channels: 0..<g.channels, batches: ns) }
        return out
    }

    func im2row(_ x: Tensor, _ g: Conv2dGeometry) -> Tensor {
        let out = Tensor(uninitializedShape: [g.batch * g.outH, g.rowLength])
        let px = UnsafePointer(x.storage.pointer), rows = out.storage.pointer
        forImages(g, size: out.count) { ns in Graft.im2row(px, rows, g, batches: ns) }
        return out
    }

    func row2im(_ rows: Tensor, _ g: Conv2dGeometry) -> Tensor {
        let out = full([g.batch, g.channels, g.height, g.width], 0)
        let pr = UnsafePointer(rows.storage.pointer), x = out.storage.pointer
        forImages(g, size: rows.count) { ns in Graft.row2im(pr, x, g, batches: ns) }
        return out
    }
}
