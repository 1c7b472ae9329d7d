import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The cache-blocked SGEMM on one thread (BLIS loop order: jc over NC columns, pc over KC
/// depth, ic over MC rows, then 16-column and 6-row micro-tiles).
///
/// Operands are packed into panels (GEMMPacking) except where packing costs more than it saves:
/// a row-major B (not transposed) is read in place when op(A) has few rows (each packed B
/// element would be reused only ceil(m / 6) times), and a row-major A (not transposed) is read
/// in place when op(B) has few columns (reuse ceil(n / 16)). Edge tiles are packed (zero
/// padded) so the micro-kernel never reads past the operands.
extension GEMMDriver {
    /// Largest m for which B (not transposed) is read in place instead of packed.
    static let directBMaxM = 64
    /// Largest n for which A (not transposed) is read in place instead of packed.
    static let directAMaxN = 64

    /// Largest n for which a transposed A is read in place instead of packed.
    static let directATMaxN = 128
    /// Largest packed B block (kc x nc floats) swept tile row by tile row (see `blocked`).
    static let rowOrderMaxB = 131_072
    /// Which operands `blocked` reads in place: B (not transposed) when m is small, A when n
    /// is small. Not when the operand would be read with a stride per k step (B, or a transposed
    /// A) that is a multiple of 512 bytes: kc such rows fall into few L1 sets and evict each other.
    static func directModes(transA: Bool, transB: Bool, m: Int, n: Int, lda: Int, ldb: Int)
        -> (a: Bool, b: Bool) {
        func spreads(_ ld: Int) -> Bool { (ld * 4) % 512 != 0 }
        let directB = !transB && m <= directBMaxM && spreads(ldb)
        let directA = transA ? n <= directATMaxN && spreads(lda) : n <= directAMaxN
        return (directA, directB)
    }

    /// Rough cycles `blocked` spends on a product: 6 per micro-tile and k step (12 FMAs at two
    /// per cycle) plus about 0.8 per element packed with a transpose (A, or a transposed B) and
    /// 0.3 per element of a plain B copy. Used to choose how threads split a product.
    static func blockedCost(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int,
                            ldb: Int) -> Double {
        let mr = GEMMKernel.mr, nr = GEMMKernel.nr
        let tiles = Double((m + mr - 1) / mr) * Double((n + nr - 1) / nr)
        var cycles = tiles * Double(k) * 6
        let (directA, directB) = directModes(transA: transA, transB: transB, m: m, n: n,
                                             lda: lda, ldb: ldb)
        let blocksN = Double((n + ncMax - 1) / ncMax)
        if !directA { cycles += 0.8 * Double(m) * Double(k) * blocksN }
        if !directB { cycles += (transB ? 0.8 : 0.3) * Double(k) * Double(n) }
        // Reading the operands once from memory (a thread's slab of both).
        cycles += 0.5 * (Double(m) + Double(n)) * Double(k)
        return cycles
    }

    static func blocked(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let mr = GEMMKernel.mr, nr = GEMMKernel.nr
        let kcStep = blockSize(k, limit: kcMax, unit: 1)
        let mcStep = blockSize(m, limit: mcMax, unit: mr)
        let ncStep = blockSize(n, limit: ncMax, unit: nr)
        let (directA, directB) = directModes(transA: transA, transB: transB, m: m, n: n,
                                             lda: lda, ldb: ldb)
        let ws = GEMMWorkspace.acquire()
        defer { GEMMWorkspace.release(ws) }
        let packedA = ws.a, packedB = ws.b, tile = ws.tile, edgeA = ws.edgeA, edgeB = ws.edgeB
        var jc = 0
        while jc < n {
            let nc = min(ncStep, n - jc)
            var pc = 0
            while pc < k {
                let kc = min(kcStep, k - pc)
                let betaBlock: Float = pc == 0 ? beta : 1
                let edgeCols = nc % nr
                if !directB {
                    GEMMPacking.packB(transB: transB, b: b, ldb: ldb, p0: pc, j0: jc, kc: kc,
                                      nc: nc, into: packedB)
                } else if edgeCols > 0 {
                    // B is read in place except its last, partial panel (zero padded here).
                    GEMMPacking.packB(transB: false, b: b, ldb: ldb, p0: pc, j0: jc + nc - edgeCols,
                                      kc: kc, nc: edgeCols, into: edgeB)
                }
                var ic = 0
                while ic < m {
                    let mc = min(mcStep, m - ic)
                    let edgeRows = mc % mr
                    if !directA {
                        GEMMPacking.packA(transA: transA, a: a, lda: lda, i0: ic, p0: pc, mc: mc,
                                          kc: kc, into: packedA)
                    } else if edgeRows > 0 {
                        // A is read in place except its last, partial panel (zero padded here).
                        GEMMPacking.packA(transA: transA, a: a, lda: lda, i0: ic + mc - edgeRows,
                                          p0: pc, mc: edgeRows, kc: kc, into: edgeA)
                    }
                    // Tiles of this block. With a small packed B block (it stays in L2), sweep
                    // C row strip by row strip so that stores to C stream along rows (the
                    // hardware prefetcher follows them); otherwise column strip by column strip
                    // so that each B micro-panel stays in L1.
                    let tilesM = (mc + mr - 1) / mr, tilesN = (nc + nr - 1) / nr
                    let rowOrder = kc * nc <= rowOrderMaxB
                    for t in 0..<(tilesM * tilesN) {
                        let ir = (rowOrder ? t / tilesN : t % tilesM) * mr
                        let jr = (rowOrder ? t % tilesN : t / tilesM) * nr
                        let rows = min(mr, mc - ir), cols = min(nr, nc - jr)
                        var bPanel: UnsafePointer<Float>
                        var bStep = nr
                        if !directB {
                            bPanel = UnsafePointer(packedB) + (jr / nr) * kc * nr
                        } else if cols == nr {
                            bPanel = b + (pc * ldb + jc + jr)
                            bStep = ldb
                        } else {
                            bPanel = UnsafePointer(edgeB)
                        }
                        let cTile = c + ((ic + ir) * ldc + jc + jr)
                        let full = rows == mr && cols == nr
                        let out = full ? cTile : tile
                        let outLd = full ? ldc : nr
                        let outBeta: Float = full ? betaBlock : 0
                        if directA && rows == mr {
                            // A read in place: rows contiguous (A) or columns contiguous (A^T).
                            let aTile = transA ? a + (pc * lda + ic + ir) : a + ((ic + ir) * lda + pc)
                            let aRow = transA ? 1 : lda, aStep = transA ? lda : 1
                            if cols <= 8 {
                                gemmMicroKernel6x8(kc: kc, a: aTile, aRow: aRow, aStep: aStep,
                                                   b: bPanel, bStep: bStep, c: tile, ldc: nr,
                                                   alpha: alpha)
                            } else if transA {
                                gemmMicroKernel6x16ColsA(kc: kc, a: aTile, lda: lda, b: bPanel,
                                                         bStep: bStep, c: out, ldc: outLd,
                                                         alpha: alpha, beta: outBeta)
                            } else {
                                gemmMicroKernel6x16RowsA(kc: kc, a: aTile, lda: lda, b: bPanel,
                                                         bStep: bStep, c: out, ldc: outLd,
                                                         alpha: alpha, beta: outBeta)
                            }
                        } else {
                            var aPanel = UnsafePointer(packedA) + (ir / mr) * kc * mr
                            if directA { aPanel = UnsafePointer(edgeA) }
                            if cols <= 8 {
                                gemmMicroKernel6x8(kc: kc, a: aPanel, aRow: 1, aStep: mr,
                                                   b: bPanel, bStep: bStep, c: tile, ldc: nr,
                                                   alpha: alpha)
                            } else {
                                gemmMicroKernel6x16(kc: kc, a: aPanel, b: bPanel, bStep: bStep,
                                                    c: out, ldc: outLd, alpha: alpha,
                                                    beta: outBeta)
                            }
                        }
                        if !full {
                            gemmStorePartialTile(tile, rows: rows, cols: cols, c: cTile, ldc: ldc,
                                                 beta: betaBlock)
                        }
                    }
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }
}

/// Per-thread packing buffers, reused across calls (a fresh multi-megabyte malloc per call
/// would page-fault on every product). Kept on a lock-protected free list, so any number of
/// threads may run sgemm at once.
final class GEMMWorkspace: @unchecked Sendable {
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let tile: UnsafeMutablePointer<Float>
    /// A 6-row A panel / 16-column B panel for edge tiles of operands read in place.
    let edgeA: UnsafeMutablePointer<Float>
    let edgeB: UnsafeMutablePointer<Float>

    private init() {
        let aCount = GEMMDriver.mcMax * GEMMDriver.kcMax
        let bCount = GEMMDriver.kcMax * GEMMDriver.ncMax
        let tileCount = GEMMKernel.mr * GEMMKernel.nr
        a = UnsafeMutableRawPointer.allocate(byteCount: aCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: aCount)
        b = UnsafeMutableRawPointer.allocate(byteCount: bCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: bCount)
        tile = UnsafeMutableRawPointer.allocate(byteCount: tileCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: tileCount)
        let edgeACount = GEMMKernel.mr * GEMMDriver.kcMax
        let edgeBCount = GEMMKernel.nr * GEMMDriver.kcMax
        edgeA = UnsafeMutableRawPointer.allocate(byteCount: edgeACount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: edgeACount)
        edgeB = UnsafeMutableRawPointer.allocate(byteCount: edgeBCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: edgeBCount)
    }

    private static let free = Mutex<[GEMMWorkspace]>([])

    static func acquire() -> GEMMWorkspace {
        free.withLock { $0.popLast() } ?? GEMMWorkspace()
    }

    static func release(_ workspace: GEMMWorkspace) {
        free.withLock { $0.append(workspace) }
    }
}
