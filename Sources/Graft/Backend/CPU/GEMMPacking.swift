/// Packing of SGEMM operands into the panel layouts the micro-kernels stream through.
///
/// A block of op(A) (mc x kc) becomes ceil(mc / mr) panels; panel r holds rows mr*r..<mr*r+mr as
/// kc groups of mr floats (`ap[r * kc * mr + p * mr + i]`). A block of op(B) (kc x nc) becomes
/// ceil(nc / nr) panels; panel s holds columns nr*s..<nr*s+nr as kc groups of nr floats
/// (`bp[s * kc * nr + p * nr + j]`). Rows/columns past the edge are zero, so the micro-kernel
/// always computes whole tiles. mr is 6 or 14 and nr 16 or 32 (`GEMMKernel`); both have
/// unrolled paths.
enum GEMMPacking {
    /// Packs op(A)[i0..<i0+mc, p0..<p0+kc] where op(A)[i, p] = transA ? a[p*lda+i] : a[i*lda+p].
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int,
                      mc: Int, kc: Int, mr: Int, into ap: UnsafeMutablePointer<Float>) {
        var dst = ap
        var i = 0
        if transA && (mr == 6 || mr == 14) && mc >= mr {
            // Full panels k step by k step: each step reads a contiguous run of a stored row
            // (one stream the prefetchers follow, instead of kc rows at once per panel).
            let panels = mc / mr
            for p in 0..<kc {
                let src = a + ((p0 + p) * lda + i0)
                var d = ap + p * mr
                for r in 0..<panels {
                    let s = src + r * mr
                    if mr == 6 {
                        d[0] = s[0]; d[1] = s[1]; d[2] = s[2]
                        d[3] = s[3]; d[4] = s[4]; d[5] = s[5]
                    } else {
                        store8(load8(s), d)
                        store8(load8(s + 6), d + 6)
                    }
                    d += kc * mr
                }
            }
            i = panels * mr
            dst = ap + panels * kc * mr
        }
        while i < mc {
            let rows = min(mr, mc - i)
            if transA {
                // op(A)[i.., p] is contiguous in memory for fixed p.
                var src = a + (p0 * lda + i0 + i)
                if rows == 6 && mr == 6 {
                    for _ in 0..<kc {
                        dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]
                        dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5]
                        dst += mr
                        src += lda
                    }
                } else if rows == 14 && mr == 14 {
                    // Two overlapping 8-float copies (0..<8 and 6..<14).
                    for _ in 0..<kc {
                        store8(load8(src), dst)
                        store8(load8(src + 6), dst + 6)
                        dst += mr
                        src += lda
                    }
                } else {
                    dst.update(repeating: 0, count: kc * mr)
                    for _ in 0..<kc {
                        for r in 0..<rows { dst[r] = src[r] }
                        dst += mr
                        src += lda
                    }
                }
            } else {
                // Row r of the panel is contiguous: read rows, write with stride mr.
                let base = a + ((i0 + i) * lda + p0)
                if rows == 6 && mr == 6 {
                    packRows(base, lda: lda, kc: kc, rows: 6, into: dst)
                } else if rows == 14 && mr == 14 {
                    packRows(base, lda: lda, kc: kc, rows: 14, into: dst)
                } else {
                    dst.update(repeating: 0, count: kc * mr)
                    for r in 0..<rows {
                        let row = base + r * lda
                        for p in 0..<kc { dst[p * mr + r] = row[p] }
                    }
                }
                dst += kc * mr
            }
            i += mr
        }
    }

    /// A full panel of `rows` (a constant after inlining) rows of A: each k step gathers one
    /// float from every row and writes them contiguously.
    @inline(__always)
    private static func packRows(_ base: UnsafePointer<Float>, lda: Int, kc: Int, rows: Int,
                                 into dst: UnsafeMutablePointer<Float>) {
        var d = dst
        for p in 0..<kc {
            for r in 0..<rows { d[r] = base[r * lda + p] }
            d += rows
        }
    }

    /// Packs op(B)[p0..<p0+kc, j0..<j0+nc] where op(B)[p, j] = transB ? b[j*ldb+p] : b[p*ldb+j].
    static func packB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int,
                      kc: Int, nc: Int, nr: Int, into bp: UnsafeMutablePointer<Float>) {
        var dst = bp
        var j = 0
        if !transB && nc >= nr {
            // Full panels k step by k step: each step reads a contiguous run of a stored row.
            let panels = nc / nr
            for p in 0..<kc {
                let src = b + ((p0 + p) * ldb + j0)
                var d = bp + p * nr
                for s in 0..<panels {
                    var c = 0
                    while c < nr {
                        store8(load8(src + s * nr + c), d + c)
                        c += 8
                    }
                    d += kc * nr
                }
            }
            j = panels * nr
            dst = bp + panels * kc * nr
        }
        while j < nc {
            let cols = min(nr, nc - j)
            if !transB {
                var src = b + (p0 * ldb + j0 + j)
                if cols == nr {
                    for _ in 0..<kc {
                        var c = 0
                        while c < nr {
                            store8(load8(src + c), dst + c)
                            c += 8
                        }
                        dst += nr
                        src += ldb
                    }
                } else {
                    dst.update(repeating: 0, count: kc * nr)
                    for _ in 0..<kc {
                        for c in 0..<cols { dst[c] = src[c] }
                        dst += nr
                        src += ldb
                    }
                }
            } else {
                // Column c of the panel is a contiguous row of the stored B.
                let base = b + ((j0 + j) * ldb + p0)
                if cols < nr { dst.update(repeating: 0, count: kc * nr) }
                var c0 = 0
                if cols == nr {
                    // 8 x 8 blocks: 8 rows of the stored B, 8 floats each, transposed in
                    // registers and written as 8 rows of the panel.
                    // (8 stored rows at a time, each read through: a power-of-two ldb maps all
                    // nr rows to few L1 sets.)
                    let whole = kc / 8 * 8
                    var c = 0
                    while c < nr {
                        var p = 0
                        while p < whole {
                            transpose8x8(base + (c * ldb + p), ldb, dst + (p * nr + c), nr)
                            p += 8
                        }
                        c += 8
                    }
                    if whole < kc {
                        for c in 0..<nr {
                            for q in whole..<kc { dst[q * nr + c] = base[c * ldb + q] }
                        }
                    }
                    c0 = nr
                }
                for c in c0..<cols {
                    let src = base + c * ldb
                    var d = dst + c
                    for p in 0..<kc {
                        d.pointee = src[p]
                        d += nr
                    }
                }
                dst += kc * nr
            }
            j += nr
        }
    }

    /// dst[i * ldd + j] = src[j * lds + i] for i, j in 0..<8.
    @inline(__always)
    private static func transpose8x8(_ src: UnsafePointer<Float>, _ lds: Int,
                                     _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
        let r0 = load8(src), r1 = load8(src + lds), r2 = load8(src + 2 * lds)
        let r3 = load8(src + 3 * lds), r4 = load8(src + 4 * lds), r5 = load8(src + 5 * lds)
        let r6 = load8(src + 6 * lds), r7 = load8(src + 7 * lds)
        for i in 0..<8 {
            store8(SIMD8(r0[i], r1[i], r2[i], r3[i], r4[i], r5[i], r6[i], r7[i]), dst + i * ldd)
        }
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
