/// Packing of SGEMM operands into the panel layouts the micro-kernel streams through.
///
/// A block of op(A) (mc x kc) becomes ceil(mc / 6) panels; panel r holds rows 6r..<6r+6 as kc
/// groups of 6 floats (`ap[r * kc * 6 + p * 6 + i]`). A block of op(B) (kc x nc) becomes
/// ceil(nc / 16) panels; panel s holds columns 16s..<16s+16 as kc groups of 16 floats
/// (`bp[s * kc * 16 + p * 16 + j]`). Rows/columns past the edge are zero, so the micro-kernel
/// always computes whole tiles.
enum GEMMPacking {
    /// Packs op(A)[i0..<i0+mc, p0..<p0+kc] where op(A)[i, p] = transA ? a[p*lda+i] : a[i*lda+p].
    static func packA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int,
                      mc: Int, kc: Int, into ap: UnsafeMutablePointer<Float>) {
        let mr = GEMMKernel.mr
        var dst = ap
        var i = 0
        while i < mc {
            let rows = min(mr, mc - i)
            if transA {
                // op(A)[i.., p] is contiguous in memory for fixed p.
                var src = a + (p0 * lda + i0 + i)
                if rows == mr {
                    for _ in 0..<kc {
                        dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]
                        dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5]
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
                // Row r of the panel is contiguous: read rows, write with stride 6.
                let base = a + ((i0 + i) * lda + p0)
                if rows == mr {
                    let r0 = base, r1 = base + lda, r2 = base + 2 * lda
                    let r3 = base + 3 * lda, r4 = base + 4 * lda, r5 = base + 5 * lda
                    for p in 0..<kc {
                        let d = dst + p * mr
                        d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]
                        d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p]
                    }
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

    /// Packs op(B)[p0..<p0+kc, j0..<j0+nc] where op(B)[p, j] = transB ? b[j*ldb+p] : b[p*ldb+j].
    static func packB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int,
                      kc: Int, nc: Int, into bp: UnsafeMutablePointer<Float>) {
        let nr = GEMMKernel.nr
        var dst = bp
        var j = 0
        while j < nc {
            let cols = min(nr, nc - j)
            if !transB {
                var src = b + (p0 * ldb + j0 + j)
                if cols == nr {
                    for _ in 0..<kc {
                        let raw = UnsafeRawPointer(src)
                        let lo = raw.loadUnaligned(as: SIMD8<Float>.self)
                        let hi = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(dst).storeBytes(of: lo, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(dst).storeBytes(of: hi, toByteOffset: 32,
                                                                as: SIMD8<Float>.self)
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
                for c in 0..<cols {
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
}
