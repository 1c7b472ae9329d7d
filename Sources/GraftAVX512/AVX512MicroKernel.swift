// The AVX-512 SGEMM micro-kernels (14 x 32 tiles, k loop not unrolled: unrolling let LLVM hoist
// the B loads of later steps and spill accumulators).
//
// This module is compiled with -march=x86-64-v4 (not in a portable build: Build.swift): every
// function in it may execute AVX-512 instructions, so Graft calls it only after checking that
// the CPU supports AVX-512F, and nothing here is @inlinable (the entry points are
// @inline(never) and take raw pointers only).
//
// A tile is 14 rows x 32 columns of C held in 28 zmm registers (SIMD16<Float>), updated per k
// with 14 broadcasts of A (vbroadcastss from memory, each feeding 2 FMAs) times 2 vectors of B.

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

@inline(__always)
private func storeVec(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ alpha: SIMD16<Float>,
                      _ beta: Float) {
    if beta == 0 {
        store16(v * alpha, c)
    } else if beta == 1 {
        store16(mulAdd(v, alpha, load16(c)), c)
    } else {
        store16(mulAdd(v, alpha, load16(c) * SIMD16<Float>(repeating: beta)), c)
    }
}


@inline(__always)
private func tileBody(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                    b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float) {
    var c0_0 = SIMD16<Float>(); var c0_1 = SIMD16<Float>()
    var c1_0 = SIMD16<Float>(); var c1_1 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>(); var c2_1 = SIMD16<Float>()
    var c3_0 = SIMD16<Float>(); var c3_1 = SIMD16<Float>()
    var c4_0 = SIMD16<Float>(); var c4_1 = SIMD16<Float>()
    var c5_0 = SIMD16<Float>(); var c5_1 = SIMD16<Float>()
    var c6_0 = SIMD16<Float>(); var c6_1 = SIMD16<Float>()
    var c7_0 = SIMD16<Float>(); var c7_1 = SIMD16<Float>()
    var c8_0 = SIMD16<Float>(); var c8_1 = SIMD16<Float>()
    var c9_0 = SIMD16<Float>(); var c9_1 = SIMD16<Float>()
    var c10_0 = SIMD16<Float>(); var c10_1 = SIMD16<Float>()
    var c11_0 = SIMD16<Float>(); var c11_1 = SIMD16<Float>()
    var c12_0 = SIMD16<Float>(); var c12_1 = SIMD16<Float>()
    var c13_0 = SIMD16<Float>(); var c13_1 = SIMD16<Float>()
    let a0 = a + 0 * aRow
    let a1 = a + 1 * aRow
    let a2 = a + 2 * aRow
    let a3 = a + 3 * aRow
    let a4 = a + 4 * aRow
    let a5 = a + 5 * aRow
    let a6 = a + 6 * aRow
    let a7 = a + 7 * aRow
    let a8 = a + 8 * aRow
    let a9 = a + 9 * aRow
    let a10 = a + 10 * aRow
    let a11 = a + 11 * aRow
    let a12 = a + 12 * aRow
    let a13 = a + 13 * aRow
    var pb = b
    var o = 0
    @inline(__always) func step(_ o: Int, _ pb: UnsafePointer<Float>) {
        let b0 = load16(pb + 0); let b1 = load16(pb + 16)
        do { let x = SIMD16<Float>(repeating: a0[o]); c0_0 = mulAdd(x, b0, c0_0); c0_1 = mulAdd(x, b1, c0_1) }
        do { let x = SIMD16<Float>(repeating: a1[o]); c1_0 = mulAdd(x, b0, c1_0); c1_1 = mulAdd(x, b1, c1_1) }
        do { let x = SIMD16<Float>(repeating: a2[o]); c2_0 = mulAdd(x, b0, c2_0); c2_1 = mulAdd(x, b1, c2_1) }
        do { let x = SIMD16<Float>(repeating: a3[o]); c3_0 = mulAdd(x, b0, c3_0); c3_1 = mulAdd(x, b1, c3_1) }
        do { let x = SIMD16<Float>(repeating: a4[o]); c4_0 = mulAdd(x, b0, c4_0); c4_1 = mulAdd(x, b1, c4_1) }
        do { let x = SIMD16<Float>(repeating: a5[o]); c5_0 = mulAdd(x, b0, c5_0); c5_1 = mulAdd(x, b1, c5_1) }
        do { let x = SIMD16<Float>(repeating: a6[o]); c6_0 = mulAdd(x, b0, c6_0); c6_1 = mulAdd(x, b1, c6_1) }
        do { let x = SIMD16<Float>(repeating: a7[o]); c7_0 = mulAdd(x, b0, c7_0); c7_1 = mulAdd(x, b1, c7_1) }
        do { let x = SIMD16<Float>(repeating: a8[o]); c8_0 = mulAdd(x, b0, c8_0); c8_1 = mulAdd(x, b1, c8_1) }
        do { let x = SIMD16<Float>(repeating: a9[o]); c9_0 = mulAdd(x, b0, c9_0); c9_1 = mulAdd(x, b1, c9_1) }
        do { let x = SIMD16<Float>(repeating: a10[o]); c10_0 = mulAdd(x, b0, c10_0); c10_1 = mulAdd(x, b1, c10_1) }
        do { let x = SIMD16<Float>(repeating: a11[o]); c11_0 = mulAdd(x, b0, c11_0); c11_1 = mulAdd(x, b1, c11_1) }
        do { let x = SIMD16<Float>(repeating: a12[o]); c12_0 = mulAdd(x, b0, c12_0); c12_1 = mulAdd(x, b1, c12_1) }
        do { let x = SIMD16<Float>(repeating: a13[o]); c13_0 = mulAdd(x, b0, c13_0); c13_1 = mulAdd(x, b1, c13_1) }
    }
    var p = 0
    while p + 1 <= kc {
        step(o + 0 * aStep, pb + 0 * bStep)
        pb += 1 * bStep
        o += 1 * aStep
        p += 1
    }
    while p < kc {
        step(o, pb)
        pb += bStep
        o += aStep
        p += 1
    }
    let al = SIMD16<Float>(repeating: alpha)
    storeVec(c0_0, c + 0 * ldc + 0, al, beta)
    storeVec(c0_1, c + 0 * ldc + 16, al, beta)
    storeVec(c1_0, c + 1 * ldc + 0, al, beta)
    storeVec(c1_1, c + 1 * ldc + 16, al, beta)
    storeVec(c2_0, c + 2 * ldc + 0, al, beta)
    storeVec(c2_1, c + 2 * ldc + 16, al, beta)
    storeVec(c3_0, c + 3 * ldc + 0, al, beta)
    storeVec(c3_1, c + 3 * ldc + 16, al, beta)
    storeVec(c4_0, c + 4 * ldc + 0, al, beta)
    storeVec(c4_1, c + 4 * ldc + 16, al, beta)
    storeVec(c5_0, c + 5 * ldc + 0, al, beta)
    storeVec(c5_1, c + 5 * ldc + 16, al, beta)
    storeVec(c6_0, c + 6 * ldc + 0, al, beta)
    storeVec(c6_1, c + 6 * ldc + 16, al, beta)
    storeVec(c7_0, c + 7 * ldc + 0, al, beta)
    storeVec(c7_1, c + 7 * ldc + 16, al, beta)
    storeVec(c8_0, c + 8 * ldc + 0, al, beta)
    storeVec(c8_1, c + 8 * ldc + 16, al, beta)
    storeVec(c9_0, c + 9 * ldc + 0, al, beta)
    storeVec(c9_1, c + 9 * ldc + 16, al, beta)
    storeVec(c10_0, c + 10 * ldc + 0, al, beta)
    storeVec(c10_1, c + 10 * ldc + 16, al, beta)
    storeVec(c11_0, c + 11 * ldc + 0, al, beta)
    storeVec(c11_1, c + 11 * ldc + 16, al, beta)
    storeVec(c12_0, c + 12 * ldc + 0, al, beta)
    storeVec(c12_1, c + 12 * ldc + 16, al, beta)
    storeVec(c13_0, c + 13 * ldc + 0, al, beta)
    storeVec(c13_1, c + 13 * ldc + 16, al, beta)
}

@inline(__always)
private func halfBody(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                    b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float) {
    var c0_0 = SIMD16<Float>()
    var c1_0 = SIMD16<Float>()
    var c2_0 = SIMD16<Float>()
    var c3_0 = SIMD16<Float>()
    var c4_0 = SIMD16<Float>()
    var c5_0 = SIMD16<Float>()
    var c6_0 = SIMD16<Float>()
    var c7_0 = SIMD16<Float>()
    var c8_0 = SIMD16<Float>()
    var c9_0 = SIMD16<Float>()
    var c10_0 = SIMD16<Float>()
    var c11_0 = SIMD16<Float>()
    var c12_0 = SIMD16<Float>()
    var c13_0 = SIMD16<Float>()
    let a0 = a + 0 * aRow
    let a1 = a + 1 * aRow
    let a2 = a + 2 * aRow
    let a3 = a + 3 * aRow
    let a4 = a + 4 * aRow
    let a5 = a + 5 * aRow
    let a6 = a + 6 * aRow
    let a7 = a + 7 * aRow
    let a8 = a + 8 * aRow
    let a9 = a + 9 * aRow
    let a10 = a + 10 * aRow
    let a11 = a + 11 * aRow
    let a12 = a + 12 * aRow
    let a13 = a + 13 * aRow
    var pb = b
    var o = 0
    @inline(__always) func step(_ o: Int, _ pb: UnsafePointer<Float>) {
        let b0 = load16(pb + 0)
        do { let x = SIMD16<Float>(repeating: a0[o]); c0_0 = mulAdd(x, b0, c0_0) }
        do { let x = SIMD16<Float>(repeating: a1[o]); c1_0 = mulAdd(x, b0, c1_0) }
        do { let x = SIMD16<Float>(repeating: a2[o]); c2_0 = mulAdd(x, b0, c2_0) }
        do { let x = SIMD16<Float>(repeating: a3[o]); c3_0 = mulAdd(x, b0, c3_0) }
        do { let x = SIMD16<Float>(repeating: a4[o]); c4_0 = mulAdd(x, b0, c4_0) }
        do { let x = SIMD16<Float>(repeating: a5[o]); c5_0 = mulAdd(x, b0, c5_0) }
        do { let x = SIMD16<Float>(repeating: a6[o]); c6_0 = mulAdd(x, b0, c6_0) }
        do { let x = SIMD16<Float>(repeating: a7[o]); c7_0 = mulAdd(x, b0, c7_0) }
        do { let x = SIMD16<Float>(repeating: a8[o]); c8_0 = mulAdd(x, b0, c8_0) }
        do { let x = SIMD16<Float>(repeating: a9[o]); c9_0 = mulAdd(x, b0, c9_0) }
        do { let x = SIMD16<Float>(repeating: a10[o]); c10_0 = mulAdd(x, b0, c10_0) }
        do { let x = SIMD16<Float>(repeating: a11[o]); c11_0 = mulAdd(x, b0, c11_0) }
        do { let x = SIMD16<Float>(repeating: a12[o]); c12_0 = mulAdd(x, b0, c12_0) }
        do { let x = SIMD16<Float>(repeating: a13[o]); c13_0 = mulAdd(x, b0, c13_0) }
    }
    var p = 0
    while p + 1 <= kc {
        step(o + 0 * aStep, pb + 0 * bStep)
        pb += 1 * bStep
        o += 1 * aStep
        p += 1
    }
    while p < kc {
        step(o, pb)
        pb += bStep
        o += aStep
        p += 1
    }
    let al = SIMD16<Float>(repeating: alpha)
    storeVec(c0_0, c + 0 * ldc + 0, al, beta)
    storeVec(c1_0, c + 1 * ldc + 0, al, beta)
    storeVec(c2_0, c + 2 * ldc + 0, al, beta)
    storeVec(c3_0, c + 3 * ldc + 0, al, beta)
    storeVec(c4_0, c + 4 * ldc + 0, al, beta)
    storeVec(c5_0, c + 5 * ldc + 0, al, beta)
    storeVec(c6_0, c + 6 * ldc + 0, al, beta)
    storeVec(c7_0, c + 7 * ldc + 0, al, beta)
    storeVec(c8_0, c + 8 * ldc + 0, al, beta)
    storeVec(c9_0, c + 9 * ldc + 0, al, beta)
    storeVec(c10_0, c + 10 * ldc + 0, al, beta)
    storeVec(c11_0, c + 11 * ldc + 0, al, beta)
    storeVec(c12_0, c + 12 * ldc + 0, al, beta)
    storeVec(c13_0, c + 13 * ldc + 0, al, beta)
}

@inline(never)
private func tilePacked(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStep: Int,
                        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    tileBody(kc: kc, a: a, aRow: 1, aStep: 14, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha,
             beta: beta)
}

@inline(never)
private func tileRowsA(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                       bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float,
                       beta: Float) {
    tileBody(kc: kc, a: a, aRow: lda, aStep: 1, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha,
             beta: beta)
}

@inline(never)
private func tileColsA(kc: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                       bStep: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float,
                       beta: Float) {
    tileBody(kc: kc, a: a, aRow: 1, aStep: lda, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha,
             beta: beta)
}

/// C[0..<14, 0..<32] = alpha * (A * B) + beta * C over `kc` steps (beta == 0: C is not read).
/// Element (i, p) of A at `a + i * aRow + p * aStep` (a packed panel: aRow 1, aStep 14; A's rows
/// in place: lda, 1; A^T's columns in place: 1, lda); row p of B (32 floats) at `b + p * bStep`.
/// Only call on a CPU with AVX-512F.
@inline(never)
public func graftAVX512Tile(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                            b: UnsafePointer<Float>, bStep: Int, c: UnsafeMutablePointer<Float>,
                            ldc: Int, alpha: Float, beta: Float) {
    if aRow == 1 && aStep == 14 {
        tilePacked(kc: kc, a: a, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha, beta: beta)
    } else if aStep == 1 {
        tileRowsA(kc: kc, a: a, lda: aRow, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha,
                  beta: beta)
    } else {
        tileColsA(kc: kc, a: a, lda: aStep, b: b, bStep: bStep, c: c, ldc: ldc, alpha: alpha,
                  beta: beta)
    }
}

/// The left half (16 columns) of such a tile, for edge panels of at most 16 columns; same
/// operands (B rows still `bStep` apart, only their first 16 floats read).
/// Only call on a CPU with AVX-512F.
@inline(never)
public func graftAVX512HalfTile(kc: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                b: UnsafePointer<Float>, bStep: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float,
                                beta: Float) {
    halfBody(kc: kc, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, c: c, ldc: ldc,
             alpha: alpha, beta: beta)
}

