import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The cache-blocked SGEMM on one thread (BLIS loop order: jc over NC columns, pc over KC
/// depth, ic over MC rows, then nr-column and mr-row micro-tiles of the chosen `GEMMKernel`).
///
/// Operands are packed into panels (GEMMPacking) except where packing costs more than it saves:
/// a row-major B (not transposed) is read in place when op(A) has few rows (each packed B
/// element would be reused only ceil(m / mr) times), and a row-major A (not transposed) is read
/// in place when op(B) has few columns (reuse ceil(n / nr)). Edge tiles are packed (zero
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
    /// With the AVX-512 kernel, largest operand (floats) read in place with a stride per k step
    /// (B, or a transposed A): beyond the L2 (2 MiB on the Xeons measured) such an operand comes
    /// from L3 or memory, kc rows at a time per tile, which no prefetcher follows, while packing
    /// reads it row by row (measured on 5000x32xK TN and 32x5000xK NN: in place 1.4x faster at
    /// K = 64, packed 1.3-2.5x faster from K = 128, where the operand passes 2 MiB).
    static let directStridedMaxFloats = 524_288
    /// Which operands `blocked` reads in place: B (not transposed) when m is small, A when n
    /// is small. Not when the operand would be read with a stride per k step (B, or a transposed
    /// A) that is a multiple of 512 bytes: kc such rows fall into few L1 sets and evict each other;
    /// nor, with the AVX-512 kernel, when that operand exceeds `directStridedMaxFloats`.
    static func directModes(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int,
                            ldb: Int, kernel: GEMMKernel) -> (a: Bool, b: Bool) {
        func spreads(_ ld: Int) -> Bool { (ld * 4) % 512 != 0 }
        let limit = kernel == .avx512 ? directStridedMaxFloats : Int.max
        let directB = !transB && m <= directBMaxM && spreads(ldb) && k * n <= limit
        let directA = transA ? n <= directATMaxN && spreads(lda) && k * m <= limit
                             : n <= directAMaxN
        return (directA, directB)
    }

    /// Rough cycles `blocked` spends on a product: `kernel.cyclesPerTileStep` per micro-tile
    /// and k step plus about 0.8 per element packed with a transpose (A, or a transposed B) and
    /// 0.3 per element of a plain B copy. Used to choose how threads split a product.
    static func blockedCost(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int,
                            ldb: Int, kernel: GEMMKernel) -> Double {
        let mr = kernel.mr, nr = kernel.nr
        let tiles = Double((m + mr - 1) / mr) * Double((n + nr - 1) / nr)
        var cycles = tiles * Double(k) * kernel.cyclesPerTileStep
        let (directA, directB) = directModes(transA: transA, transB: transB, m: m, n: n, k: k,
                                             lda: lda, ldb: ldb, kernel: kernel)
        let blocksN = Double((n + kernel.ncMax - 1) / kernel.ncMax)
        if !directA { cycles += 0.8 * Double(m) * Double(k) * blocksN }
        if !directB { cycles += (transB ? 0.8 : 0.3) * Double(k) * Double(n) }
        // Reading the operands once from memory (a thread's slab of both).
        cycles += 0.5 * (Double(m) + Double(n)) * Double(k)
        return cycles
    }

    static func blocked(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                        kernel: GEMMKernel) {
        let kernel = kernel.supported
        let mr = kernel.mr, nr = kernel.nr
        let kcStep = blockSize(k, limit: kernel.kcMax, unit: 1)
        let mcStep = blockSize(m, limit: kernel.mcMax, unit: mr)
        let ncStep = blockSize(n, limit: kernel.ncMax, unit: nr)
        let (directA, directB) = directModes(transA: transA, transB: transB, m: m, n: n, k: k,
                                             lda: lda, ldb: ldb, kernel: kernel)
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
                                      nc: nc, nr: nr, into: packedB)
                } else if edgeCols > 0 {
                    // B is read in place except its last, partial panel (zero padded here).
                    GEMMPacking.packB(transB: false, b: b, ldb: ldb, p0: pc, j0: jc + nc - edgeCols,
                                      kc: kc, nc: edgeCols, nr: nr, into: edgeB)
                }
                var ic = 0
                while ic < m {
                    let mc = min(mcStep, m - ic)
                    let edgeRows = mc % mr
                    if !directA {
                        GEMMPacking.packA(transA: transA, a: a, lda: lda, i0: ic, p0: pc, mc: mc,
                                          kc: kc, mr: mr, into: packedA)
                    } else if edgeRows > 0 {
                        // A is read in place except its last, partial panel (zero padded here).
                        GEMMPacking.packA(transA: transA, a: a, lda: lda, i0: ic + mc - edgeRows,
                                          p0: pc, mc: edgeRows, kc: kc, mr: mr, into: edgeA)
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
                        // A: read in place (rows contiguous for A, columns for A^T), or packed.
                        var aPanel = UnsafePointer(packedA) + (ir / mr) * kc * mr
                        var aRow = 1, aStep = mr
                        if directA && rows == mr {
                            aPanel = transA ? a + (pc * lda + ic + ir) : a + ((ic + ir) * lda + pc)
                            aRow = transA ? 1 : lda
                            aStep = transA ? lda : 1
                        } else if directA {
                            aPanel = UnsafePointer(edgeA)
                        }
                        let cTile = c + ((ic + ir) * ldc + jc + jr)
                        let full = rows == mr && cols == nr
                        let half = cols <= nr / 2
                        // Partial tiles are computed into `tile` (row stride nr, beta 0) and
                        // then added into C.
                        let toC = full && !half
                        kernel.tile(half: half, kc: kc, a: aPanel, aRow: aRow, aStep: aStep,
                                    b: bPanel, bStep: bStep, c: toC ? cTile : tile,
                                    ldc: toC ? ldc : nr, alpha: alpha, beta: toC ? betaBlock : 0)
                        if !toC {
                            gemmStorePartialTile(tile, tileLd: nr, rows: rows, cols: cols,
                                                 c: cTile, ldc: ldc, beta: betaBlock)
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
    /// An mr-row A panel / nr-column B panel for edge tiles of operands read in place.
    let edgeA: UnsafeMutablePointer<Float>
    let edgeB: UnsafeMutablePointer<Float>

    private init() {
        let aCount = GEMMKernel.maxMC * GEMMKernel.maxKC
        let bCount = GEMMKernel.maxKC * GEMMKernel.maxNC
        let tileCount = GEMMKernel.maxMR * GEMMKernel.maxNR
        a = UnsafeMutableRawPointer.allocate(byteCount: aCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: aCount)
        b = UnsafeMutableRawPointer.allocate(byteCount: bCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: bCount)
        tile = UnsafeMutableRawPointer.allocate(byteCount: tileCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: tileCount)
        let edgeACount = GEMMKernel.maxMR * GEMMKernel.maxKC
        let edgeBCount = GEMMKernel.maxNR * GEMMKernel.maxKC
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
