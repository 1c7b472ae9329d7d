// Multiply-adds for this module, as Graft's `mulAdd` (Graft/Backend/CPU/MulAdd.swift): fused
// when GRAFT_HARDWARE_FMA is defined (Package.swift, with -march=x86-64-v4) or on arm64; a
// multiply and an add otherwise (a portable x86-64 build), where a fused multiply-add would be
// a call to libm's `fmaf` per lane. Graft never chooses this module's kernels in a portable
// build, but the tests call them directly on CPUs with AVX-512F.

#if GRAFT_HARDWARE_FMA || arch(arm64)
/// a * b + c lane-wise, fused: one rounding, one FMA instruction.
@inline(__always)
func mulAdd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
    c.addingProduct(a, b)
}
#else
/// a * b + c lane-wise as a multiply and an add (two roundings): no FMA instructions here.
@inline(__always)
func mulAdd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
    a * b + c
}
#endif
