import GraftAVX512
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The SGEMM micro-kernel families and their blocking.
///
/// - `avx2`: a 6 x 16 block of C held in twelve AVX2 registers (SIMD8<Float>), updated with one
///   rank-1 FMA step per k (6 broadcasts of A times 2 vectors of B); 12 accumulators + 2 B
///   vectors + 1 broadcast = 15 of the 16 ymm registers. Variants read A packed (6 floats per k),
///   or in place from A's rows or A^T's columns, and B from a packed panel or in place (any row
///   step); a 6 x 8 variant serves edge panels of <= 8 columns. Compiled here, in Graft, for
///   x86-64-v3 (Package.swift) so that `mulAdd` (MulAdd.swift) is fused, one `vfmadd231ps`; in a
///   portable x86-64 build it is a multiply and an add.
/// - `avx512`: a 14 x 32 block of C in 28 zmm registers (SIMD16<Float>; 14 broadcasts of A times
///   2 vectors of B per k, 31 of the 32 zmm registers), with a 14 x 16 variant for edge panels
///   of <= 16 columns. It lives in the `GraftAVX512` module, the only one compiled for
///   x86-64-v4, and is called only when the CPU has AVX-512F (`GEMMKernel.preferred`).
///
/// Check code generation with `objdump -d --no-show-raw-insn <binary> | grep vfmadd` (and
/// `grep zmm` for the AVX-512 kernels).
enum GEMMKernel: Sendable, CaseIterable {
    case avx2
    case avx512

    /// Rows of C per micro-tile.
    var mr: Int { self == .avx2 ? 6 : 14 }
    /// Columns of C per micro-tile.
    var nr: Int { self == .avx2 ? 16 : 32 }
    /// Depth of a packed block: a kc x nr B micro-panel stays in L1 (16 KiB at nr 16, 32 KiB at
    /// nr 32: 48 KiB L1d on the AVX-512 Xeons measured).
    var kcMax: Int { self == .avx2 ? 256 : 256 }
    /// Rows of A packed at once (an mc x kc block stays in L2); a multiple of mr.
    var mcMax: Int { self == .avx2 ? 120 : 112 }
    /// Columns of B packed at once (a kc x nc block stays in L3); a multiple of nr.
    var ncMax: Int { self == .avx2 ? 3072 : 3072 }
    /// Multiply-add cycles per micro-tile and k step (mr x nr FMA lanes at two vector FMAs
    /// per cycle).
    var cyclesPerTileStep: Double { self == .avx2 ? 6 : 14 }

    /// The name `graft bench gemm` shows.
    var name: String { self == .avx2 ? "avx2" : "avx512" }

    /// Largest mr, nr and block sizes of all kernels (workspace sizes).
    static let maxMR = allCases.map(\.mr).max()!
    static let maxNR = allCases.map(\.nr).max()!
    static let maxKC = allCases.map(\.kcMax).max()!
    static let maxMC = allCases.map(\.mcMax).max()!
    static let maxNC = allCases.map(\.ncMax).max()!

    /// The kernel the Swift SGEMM (and the categorical sampler's exponentials) run: `avx512`
    /// when the CPU supports AVX-512F and GraftAVX512 was compiled for it, unless
    /// `GRAFT_AVX512=off` (or 0/no/false) is set; else `avx2`. Read once. In a portable build
    /// (GRAFT_PORTABLE=1, Package.swift) GraftAVX512 is plain SIMD code and never chosen.
    static let preferred: GEMMKernel = choose(
        setting: getenv("GRAFT_AVX512").map { String(cString: $0) },
        cpuHasAVX512F: cpuHasAVX512F && avx512CodeGeneration)

    /// True when GraftAVX512 was compiled as AVX-512 code (-march=x86-64-v4), false in a
    /// portable build.
    static let avx512CodeGeneration = graftAVX512CodeGeneration()

    /// The rule behind `preferred`: `setting` is GRAFT_AVX512's value, if set.
    static func choose(setting: String?, cpuHasAVX512F: Bool) -> GEMMKernel {
        if let setting, ["0", "off", "no", "false"].contains(setting.lowercased()) { return .avx2 }
        return cpuHasAVX512F ? .avx512 : .avx2
    }

    /// `self`, or `avx2` where this CPU cannot run it (an AVX-512 instruction on a CPU without
    /// AVX-512F would kill the process with SIGILL).
    var supported: GEMMKernel { self == .avx512 && !GEMMKernel.cpuHasAVX512F ? .avx2 : self }

    /// True when the CPU (and the OS, which hides the flag when it does not save zmm state)
    /// supports AVX-512F: the `avx512f` flag of /proc/cpuinfo (Linux x86-64 only; false
    /// elsewhere).
    static let cpuHasAVX512F: Bool = {
        #if os(Linux) && arch(x86_64)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 8192)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            guard line.hasPrefix("flags") else { continue }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                .contains("avx512f")
        }
        return false
        #else
        return false
        #endif
    }()

    /// One micro-tile: C[0..<mr, 0..<nr] = alpha * (A * B) + beta * C over `kc` steps, or, when
    /// `half`, only its left nr / 2 columns. Element (i, p) of A at `a + i * aRow + p * aStep`
    /// (packed: 1, mr), row p of B at `b + p * bStep`.
    @inline(__always)
    func tile(half: Bool, kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
              b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
              alpha: Float, beta: Float) {
        switch self {
        case .avx512:
            if half {
                graftAVX512HalfTile(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep,
                                    c: c, ldc: ldc, alpha: alpha, beta: beta)
            } else {
                graftAVX512Tile(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep,
                                c: c, ldc: ldc, alpha: alpha, beta: beta)
            }
        case .avx2:
            if half {
                precondition(beta == 0)
                gemmMicroKernel6x8(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep,
                                   c: c, ldc: ldc, alpha: alpha)
            } else if aRow == 1 && aStep == 6 {
                gemmMicroKernel6x16(kc: kc, a: a, b: b, bStep: bStep, c: c, ldc: ldc,
                                    alpha: alpha, beta: beta)
            } else if aStep == 1 {
                gemmMicroKernel6x16RowsA(kc: kc, a: a, lda: aRow, b: b, bStep: bStep, c: c,
                                         ldc: ldc, alpha: alpha, beta: beta)
            } else {
                gemmMicroKernel6x16ColsA(kc: kc, a: a, lda: aStep, b: b, bStep: bStep, c: c,
                                         ldc: ldc, alpha: alpha, beta: beta)
            }
        }
    }
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Writes one row (16 floats) of a tile: C = alpha * acc + beta * C, where beta == 0 means
/// "overwrite" (C is not read, so NaN in C does not propagate).
@inline(__always)
private func storeRow(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ c: UnsafeMutablePointer<Float>,
                      _ alpha: SIMD8<Float>, _ beta: Float) {
    if beta == 0 {
        store8(lo * alpha, c)
        store8(hi * alpha, c + 8)
    } else if beta == 1 {
        store8(mulAdd(lo, alpha, load8(c)), c)
        store8(mulAdd(hi, alpha, load8(c + 8)), c + 8)
    } else {
        let b = SIMD8<Float>(repeating: beta)
        store8(mulAdd(lo, alpha, load8(c) * b), c)
        store8(mulAdd(hi, alpha, load8(c + 8) * b), c + 8)
    }
}

/// C[0..<6, 0..<16] = alpha * (A * B) + beta * C over `kc` steps, for a full tile, with A read
/// from a packed panel (kc groups of 6 floats) and B from `b`, one row of 16 floats every
/// `bStep` floats (16 for a packed panel, ldb to read a row-major B in place).
/// For a partial tile, pass a 6 x 16 scratch buffer (ldc 16, beta 0) and copy the valid part
/// out with `gemmStorePartialTile`.
@inline(never)
func gemmMicroKernel6x16(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStep: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    microKernelBody(kc: kc, a: a, aRow: 1, aStep: 6, b: b, bStep: bStep, c: c, ldc: ldc,
                    alpha: alpha, beta: beta)
}

/// The same with A read in place from a row-major op(A) = A: row i of the tile at `a + i * lda`,
/// consecutive k contiguous (no packing of A).
@inline(never)
func gemmMicroKernel6x16RowsA(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                              bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float,
                              beta: Float) {
    microKernelBody(kc: kc, a: a, aRow: lda, aStep: 1, b: b, bStep: bStep, c: c, ldc: ldc,
                    alpha: alpha, beta: beta)
}

/// The same with A read in place from a transposed op(A) = A^T: element (i, p) of the tile at
/// `a + p * lda + i` (6 contiguous floats per k, no packing of A).
@inline(never)
func gemmMicroKernel6x16ColsA(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                              bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float,
                              beta: Float) {
    microKernelBody(kc: kc, a: a, aRow: 1, aStep: lda, b: b, bStep: bStep, c: c, ldc: ldc,
                    alpha: alpha, beta: beta)
}

/// A 6 x 8 tile (the left half of a 16-column B panel) written to `c` with row stride `ldc`,
/// alpha applied, beta 0: for edge panels of at most 8 columns, at half the cost of 6 x 16.
/// Element (i, p) of A at `a + i * aRow + p * aStep` (packed: 1, 6); row p of B at
/// `b + p * bStep`.
@inline(never)
func gemmMicroKernel6x8(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                        b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>,
                        ldc: Int, alpha: Float) {
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
    var c3 = SIMD8<Float>(), c4 = SIMD8<Float>(), c5 = SIMD8<Float>()
    let a0 = a, a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow, a4 = a + 4 * aRow
    let a5 = a + 5 * aRow
    var pb = b
    var o = 0
    for _ in 0..<kc {
        let y = load8(pb)
        c0 = mulAdd(SIMD8(repeating: a0[o]), y, c0)
        c1 = mulAdd(SIMD8(repeating: a1[o]), y, c1)
        c2 = mulAdd(SIMD8(repeating: a2[o]), y, c2)
        c3 = mulAdd(SIMD8(repeating: a3[o]), y, c3)
        c4 = mulAdd(SIMD8(repeating: a4[o]), y, c4)
        c5 = mulAdd(SIMD8(repeating: a5[o]), y, c5)
        o += aStep
        pb += bStep
    }
    let al = SIMD8<Float>(repeating: alpha)
    store8(c0 * al, c)
    store8(c1 * al, c + ldc)
    store8(c2 * al, c + 2 * ldc)
    store8(c3 * al, c + 3 * ldc)
    store8(c4 * al, c + 4 * ldc)
    store8(c5 * al, c + 5 * ldc)
}

/// The micro-kernel: element (i, p) of A at `a + i * aRow + p * aStep`, row p of B (16 floats)
/// at `b + p * bStep`.
@inline(__always)
private func microKernelBody(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                             b: UnsafePointer<Float>, bStep: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    let a0 = a, a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow, a4 = a + 4 * aRow
    let a5 = a + 5 * aRow
    var pb = b
    var p = 0
    @inline(__always) func step(_ p: Int, _ pb: UnsafePointer<Float>) {
        let b0 = load8(pb), b1 = load8(pb + 8)
        let o = p * aStep
        var x = SIMD8<Float>(repeating: a0[o])
        c00 = mulAdd(x, b0, c00); c01 = mulAdd(x, b1, c01)
        x = SIMD8<Float>(repeating: a1[o])
        c10 = mulAdd(x, b0, c10); c11 = mulAdd(x, b1, c11)
        x = SIMD8<Float>(repeating: a2[o])
        c20 = mulAdd(x, b0, c20); c21 = mulAdd(x, b1, c21)
        x = SIMD8<Float>(repeating: a3[o])
        c30 = mulAdd(x, b0, c30); c31 = mulAdd(x, b1, c31)
        x = SIMD8<Float>(repeating: a4[o])
        c40 = mulAdd(x, b0, c40); c41 = mulAdd(x, b1, c41)
        x = SIMD8<Float>(repeating: a5[o])
        c50 = mulAdd(x, b0, c50); c51 = mulAdd(x, b1, c51)
    }
    while p + 4 <= kc {
        step(p, pb)
        step(p + 1, pb + bStep)
        step(p + 2, pb + 2 * bStep)
        step(p + 3, pb + 3 * bStep)
        pb += 4 * bStep
        p += 4
    }
    while p < kc {
        step(p, pb)
        pb += bStep
        p += 1
    }
    let al = SIMD8<Float>(repeating: alpha)
    storeRow(c00, c01, c, al, beta)
    storeRow(c10, c11, c + ldc, al, beta)
    storeRow(c20, c21, c + 2 * ldc, al, beta)
    storeRow(c30, c31, c + 3 * ldc, al, beta)
    storeRow(c40, c41, c + 4 * ldc, al, beta)
    storeRow(c50, c51, c + 5 * ldc, al, beta)
}

/// Adds a computed tile (`tile`, row stride `tileLd`, already scaled by alpha) into the
/// top-left `rows` x `cols` corner of C: C = tile + beta * C (beta == 0 overwrites).
@inline(__always)
func gemmStorePartialTile(_ tile: UnsafePointer<Float>, tileLd: Int, rows: Int, cols: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float) {
    for i in 0..<rows {
        let src = tile + i * tileLd
        let dst = c + i * ldc
        if beta == 0 {
            for j in 0..<cols { dst[j] = src[j] }
        } else {
            for j in 0..<cols { dst[j] = src[j] + beta * dst[j] }
        }
    }
}
